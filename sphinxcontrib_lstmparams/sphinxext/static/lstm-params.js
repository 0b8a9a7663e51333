/* sphinxcontrib-lstmparams: added only to pages that show an lstm-params block, next to
   lstm-params.css. It says which of our tables scroll: each table's box gets the class
   lstm-params-scrolling when the table, laid out as the theme lays it out, is wider than the
   box. The stylesheet then keeps the row labels in view and makes the columns come to rest
   whole beside them. Those rules make the table wider, so whether it scrolls is measured
   with them off: a table that fits never takes them on (a scroll-state query in CSS alone
   would keep them once a table had scrolled for a moment, while the page's fonts loaded).
   Without JavaScript the tables still scroll, with the same cue at the right edge. */
(() => {
  "use strict";
  const SCROLLING = "lstm-params-scrolling";
  const widths = new WeakMap();
  const mark = (box) => {
    const left = box.scrollLeft; // measuring narrows the table for a moment: keep the place
    box.classList.remove(SCROLLING);
    box.classList.toggle(SCROLLING, box.scrollWidth > box.clientWidth + 1);
    box.scrollLeft = left;
    widths.set(box, box.clientWidth);
  };
  const start = () => {
    const boxes = document.querySelectorAll("div.lstm-params-scroll");
    const resized = new ResizeObserver((entries) => {
      entries.forEach((e) => widths.get(e.target) !== e.target.clientWidth && mark(e.target));
    });
    boxes.forEach((box) => {
      mark(box);
      resized.observe(box);
    });
    if (document.fonts) document.fonts.ready.then(() => boxes.forEach(mark));
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
