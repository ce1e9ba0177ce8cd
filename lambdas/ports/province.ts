/**
 * The province's cities as a node learns them (the connection board, the operations summary,
 * onboarding's county → city). Built in wiring/province.ts.
 */
export interface ProvinceCity {
  cityId: string;
  nameZh: string;
  /** The city's 4-digit administrative division code: its counties' 6-digit codes start with it */
  adminCode: string;
}

export interface CityDirectory {
  /** The cities in the province's order */
  list(): Promise<ProvinceCity[]>;
}
