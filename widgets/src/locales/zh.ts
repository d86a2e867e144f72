// Chinese (Simplified).
import type { Table } from "../i18n";

const table: Table = {
  next: "下一步",
  back: "上一步",
  done: "完成",
  close: "关闭",
  of: "第 {0} 步，共 {1} 步",
  send: "提交",
  thanks: "感谢您的反馈！",
  nps_low: "完全不可能",
  nps_high: "非常可能",
  csat_q: "您的满意度如何？",
  csat_low: "非常不满意",
  csat_high: "非常满意",
  ces_q: "获取所需内容有多容易？",
  ces_low: "非常容易",
  ces_high: "非常困难",
  yes: "满意",
  no: "不满意",
  product: "产品",
  service: "我们的服务",
  checklist: "入门指南",
  all_done: "全部完成！",
  help: "帮助",
  answer: "您的回答",
  dismiss: "不再显示",
  news: "新功能",
  lists: "您的任务清单",
  new: "新",
  more: "了解更多",
};
export default table;
