/* The book's own script (loaded deferred on every page, ~1 KB).

   Marks every box whose content is wider than the box, so that book.css can show
   that it scrolls sideways: `book-scrolls` on the box, plus `book-more-left` /
   `book-more-right` for the side that still has content. A phone's overlay
   scrollbar is invisible until touched, so without this an equation, a code line
   or a table column cut at the edge looks like the end of the content.
   Re-checked on resize, when a dropdown opens and while the box scrolls. */
(() => {
  // book.css gives these same boxes their thin scrollbar (tests/browser/test_site.py checks the two lists).
  const BOXES = "pre, div.math mjx-container, span.math, .pst-scrollable-table-container, .table-wrapper, " +
                ".cell_output .output, .output_area";


  // Measure first, then mark: reading a box's scrollWidth right after marking another
  // would force the browser to lay the page out again for every box (hundreds of times
  // on a chapter with many equations, seconds on a phone).
  function measure(box) {
    return [box.scrollWidth - box.clientWidth, box.scrollLeft];
  }

  function mark(box, [extra, left]) {
    const scrolls = extra > 1;
    box.classList.toggle("book-scrolls", scrolls);
    box.classList.toggle("book-more-left", scrolls && left > 1);
    box.classList.toggle("book-more-right", scrolls && left < extra - 1);
    if (scrolls && !box.hasAttribute("tabindex")) {
      box.tabIndex = 0;  // reachable and scrollable from the keyboard
    }
  }

  function markAll() {
    const boxes = Array.from(document.querySelectorAll(BOXES));
    const sizes = boxes.map(measure);
    boxes.forEach((box, n) => mark(box, sizes[n]));
    document.documentElement.dataset.bookScrollsMarked = "true";
  }

  function start() {
    document.addEventListener("scroll", (event) => {
      if (event.target instanceof Element && event.target.classList.contains("book-scrolls")) {
        mark(event.target, measure(event.target));
      }
    }, { capture: true, passive: true });
    let pending = 0;
    const later = () => { cancelAnimationFrame(pending); pending = requestAnimationFrame(markAll); };
    window.addEventListener("resize", later);
    document.addEventListener("toggle", later, true);  // <details> opened
    document.addEventListener("click", later, true);   // toggle-button dropdowns
    markAll();
    if (document.readyState !== "complete") {
      window.addEventListener("load", markAll);  // images and fonts in place
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
