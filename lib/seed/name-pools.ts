/**
 * Name material for the synthetic population: surnames with their approximate share in Hebei (per
 * mille; northern China's order: 王 李 张 刘 赵 …), gendered given-name characters with a weight, and
 * homophone groups (the same toneless pinyin under pinyin-pro's default reading) from which a
 * hospital clerk's typing slip picks another character: 伟/玮/炜, 丽/莉/俪, 静/婧 …
 */

function words(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}

/** "王 105 李 95 …" → [["王", 105], ["李", 95], …] */
function weighted(text: string): [string, number][] {
  const w = words(text);
  return Array.from({ length: w.length / 2 }, (_, i) => [w[2 * i]!, Number(w[2 * i + 1])]);
}

export const SURNAMES: ReadonlyArray<readonly [string, number]> = weighted(`
  王 105 李 95 张 90 刘 75 赵 35 杨 32 陈 25 高 20 孙 18 马 15 郭 15 周 12
  韩 10 吴 10 徐 10 朱 9 胡 9 宋 9 田 9 董 9 冯 8 于 8 杜 7 孟 7
  曹 7 梁 7 贾 7 许 6 郑 6 崔 6 石 6 魏 6 任 6 郝 6 谢 5 程 5
  袁 5 白 5 闫 5 侯 5 史 5 范 5 付 5 武 5 邓 4 薛 4 苏 4 牛 4
  吕 4 何 4 姚 4 卢 4 齐 4 常 4 黄 4 罗 3 尹 3 彭 3 康 3 唐 3
  林 3 庞 2 方 2 蔡 2 耿 2 安 2 段 2 霍 2 申 2 边 2 温 2 景 1
  秦 1 贺 1 甄 1 欧阳 0.2 司马 0.1
`);

/** Given-name characters, male-leaning, with weights (older and newer naming fashions mixed). */
export const MALE_CHARS: ReadonlyArray<readonly [string, number]> = weighted(`
  伟 30 强 20 军 20 磊 15 勇 15 杰 15 涛 12 斌 12 超 12 明 15 刚 10 平 10
  辉 12 鹏 12 华 12 飞 10 鑫 10 波 8 宇 15 浩 15 凯 10 健 10 俊 12 帅 8
  旭 8 宁 8 龙 10 林 8 阳 10 建 12 国 12 志 12 文 10 博 10 子 15 轩 12
  涵 6 泽 10 晨 8 峰 10 亮 8 东 8 海 10 春 5 永 6 振 6 瑞 6 睿 6
  一 6 天 6 思 4 鸣 4 铭 4 智 4 家 5 嘉 4 豪 6 诚 5 毅 5 庆 5
  新 5 兵 6 卫 5 金 5 保 5
`);

export const FEMALE_CHARS: ReadonlyArray<readonly [string, number]> = weighted(`
  芳 20 娜 15 敏 15 静 20 丽 20 艳 15 娟 12 霞 12 燕 12 玲 12 桂 6 英 10
  秀 10 兰 10 红 12 梅 12 琳 8 雪 10 婷 12 倩 8 洁 10 颖 10 琪 8 欣 12
  怡 12 佳 10 慧 12 晶 8 月 6 萍 8 丹 8 雨 10 涵 10 萱 8 思 8 梓 6
  子 8 晓 10 玉 8 凤 6 云 8 彤 6 悦 6 瑶 6 诗 6 可 6 心 6 嘉 6
  文 6 亚 5 春 6 美 5 雅 6 淑 5 青 5
`);

/**
 * Homophone groups: every member has the same toneless default reading, and the given-name
 * characters of the pools that read the same are in one group (test/seed/name-pools.test.ts), so a
 * twin's name never differs from the other's only by a character of the same sound (军 / 俊).
 */
export const HOMOPHONE_GROUPS: readonly string[] = words(`
  伟玮炜韦卫魏 丽莉俪 静婧靖晶菁京 军君钧俊骏峻 华桦骅 明铭鸣 志智致 婷亭庭 敏珉 芳方 红虹宏洪 燕艳雁彦
  杰洁婕 涛韬 斌彬 峰锋丰凤 霞侠 玲铃苓 鹏朋 宇雨羽语玉钰 浩昊皓豪 欣心馨新鑫 怡宜仪毅艺一 佳嘉家 琪琦淇
  颖莹盈英 梅玫美 辉晖徽慧惠蕙 凯恺 勇永 子紫梓 轩萱宣 涵晗 博波 泽则 思丝 磊蕾 平萍 刚钢 兰岚 桂贵
  建健剑 国帼 文雯 晨辰臣 阳扬洋 飞菲非 林琳霖 娟鹃 云芸昀 龙隆 瑶遥 晓筱 春纯 东冬 瑞睿 彤桐童
  悦玥越月 振震 庆青 诚成程 金今 保宝 兵冰 亚雅 淑舒 天添 张章 王汪 李黎 刘柳 徐许 吴武 杨阳 于余俞
  付傅符 石史时 齐祁 闫严颜 冯封 孟梦 郑正 高郜 苏酥 韩寒 宋送
`);

export const STREETS: readonly string[] = words(`
  建设路 中山路 胜利街 和平路 东风路 人民路 解放路 友谊大街 裕华路 槐安路 跃进路 新华路 光明街 朝阳路 幸福街 育才街
  长江道 黄河大道 团结路 文化路 红旗大街 北大街 南大街 青年路 工农路 体育街 站前街 学府路 滨河路 振兴路
`);

export const ESTATES: readonly string[] = words(`
  阳光小区 金色家园 幸福里 御景苑 华府 锦绣花园 世纪城 翰林苑 碧水湾 和平里 东方明珠 绿城 康乐小区 富力城 万达广场 水岸花园
  紫金苑 电力小区 教师楼 铁路宿舍
`);

export const VILLAGE_PARTS: readonly string[] = words(`
  王 李 张 刘 赵 东 西 南 北 前 后 大 小 新 高 杨
  马 柳 石 河
`);
