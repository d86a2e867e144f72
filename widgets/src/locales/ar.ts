// Arabic.
import type { Table } from "../i18n";

const table: Table = {
  next: "التالي",
  back: "السابق",
  done: "تم",
  close: "إغلاق",
  of: "{0} من {1}",
  send: "إرسال",
  thanks: "شكرًا على ملاحظاتك!",
  nps_low: "غير مرجح على الإطلاق",
  nps_high: "مرجح للغاية",
  csat_q: "ما مدى رضاك؟",
  csat_low: "غير راضٍ إطلاقًا",
  csat_high: "راضٍ جدًا",
  ces_q: "ما مدى سهولة الحصول على ما تحتاجه؟",
  ces_low: "سهل جدًا",
  ces_high: "صعب جدًا",
  yes: "راضٍ",
  no: "غير راضٍ",
  product: "المنتج",
  service: "خدمتنا",
  checklist: "ابدأ الآن",
  all_done: "اكتمل كل شيء!",
  help: "مساعدة",
  answer: "إجابتك",
  dismiss: "تجاهل",
  news: "ما الجديد",
  lists: "قوائم مهامك",
  new: "جديد",
  more: "معرفة المزيد",
};
export default table;
