// Every layout check of one page, in one call (page.evaluate), after MathJax has typeset.
// Returns {problems: [...], facts: {...}}. Read by test_site.py.
(options) => {
  const problems = [];
  const facts = {};
  const vw = document.documentElement.clientWidth;
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += "#" + el.id;
    const cls = (typeof el.className === "string" ? el.className : "").trim().split(/\s+/).filter(Boolean).slice(0, 3);
    if (cls.length) s += "." + cls.join(".");
    const section = el.closest("section[id]");
    const text = (el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 40);
    return `${s}${section ? " in #" + section.id : ""}${text ? ` ("${text}")` : ""}`;
  };

  // Elements a reader cannot see, whose boxes do not count.
  const IGNORED_SIMPLE = "mjx-assistive-mml, .visually-hidden, .sr-only, [hidden], script, style, dialog:not([open])";
  const IGNORED = IGNORED_SIMPLE + ", .toggle-hidden .admonition-title ~ *, details:not([open]) > :not(summary)";
  // The elements IGNORED matches, found once (not matched element by element); the sibling and
  // child selectors are followed from their anchors (as part of one selector list they took
  // 18-30 ms a check on the largest pages).
  const ignored = new Set(document.querySelectorAll(IGNORED_SIMPLE));
  document.querySelectorAll(".toggle-hidden .admonition-title").forEach((title) => {
    for (let n = title.nextElementSibling; n; n = n.nextElementSibling) ignored.add(n);
  });
  document.querySelectorAll("details:not([open])").forEach((d) => {
    for (const child of d.children) if (child.tagName !== "SUMMARY") ignored.add(child);
  });
  const styles = new Map();
  const style = (el) => {
    let s = styles.get(el);
    if (!s) { s = getComputedStyle(el); styles.set(el, s); }
    return s;
  };
  const inside = (el, tag) => el.parentElement !== null && el.parentElement.tagName === tag;
  const scrollsX = (el) => ["auto", "scroll"].includes(style(el).overflowX);
  const clipsX = (el) => style(el).overflowX !== "visible";
  const shows = (el) => {
    const s = style(el);
    const mask = s.maskImage || s.webkitMaskImage || "none";
    return el.classList.contains("book-scrolls") && el.classList.contains("book-more-right") && mask !== "none";
  };

  // 1. The page is no wider than the screen.
  facts.scrollWidth = document.documentElement.scrollWidth;
  facts.viewportWidth = vw;
  if (document.documentElement.scrollWidth > vw + 1) {
    problems.push(`page is ${document.documentElement.scrollWidth} px wide on a ${vw} px screen`);
  }

  // 2. Nothing cut off: an element that sticks out of a box that clips it is either in a
  //    box that scrolls and shows that it does (book.js's fade), or it is cut off. And
  //    every box that scrolls sideways shows it, whatever is inside (text too).
  const root = document.querySelector("main") || document.body;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT, {
    acceptNode: (el) => {
      const tag = el.tagName;
      if (tag.startsWith("MJX-") && tag !== "MJX-CONTAINER") return NodeFilter.FILTER_REJECT;
      // Inside a drawing or a code block, the box itself is checked (below), not its pieces.
      if (inside(el, "svg") || inside(el, "PRE")) return NodeFilter.FILTER_REJECT;
      if (ignored.has(el)) return NodeFilter.FILTER_REJECT;
      return NodeFilter.FILTER_ACCEPT;
    },
  });
  const reported = new Set();
  const clipOf = new Map();
  let checked = 0;
  for (let el = walker.nextNode(); el; el = walker.nextNode()) {
    checked++;
    const parent = el.parentElement;
    const clip = parent && parent !== root ? (clipsX(parent) ? parent : clipOf.get(parent) || null) : null;
    clipOf.set(el, clip);
    const slack = 1;
    if (scrollsX(el) && el.scrollWidth > el.clientWidth + slack && el.clientWidth > 0 && !shows(el)
        && style(el).visibility !== "hidden" && !reported.has(el)) {
      reported.add(el);
      problems.push(`scrolls sideways with no sign of it: ${describe(el)}`);
    }
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || style(el).visibility === "hidden") continue;
    if (el.tagName === "PRE" && !scrollsX(el) && el.scrollWidth > el.clientWidth + slack) {
      reported.add(el);
      problems.push(`code wider than its box, which neither scrolls nor wraps it: ${describe(el)}`);
    }
    if (clip === null) {
      if (r.right > vw + 1 && !el.closest(".bd-sidebar-primary, .bd-sidebar-secondary, dialog")) {
        if (!reported.has(el.parentElement)) problems.push(`wider than the screen (right edge ${Math.round(r.right)} px): ${describe(el)}`);
        reported.add(el);
      }
      continue;
    }
    const c = clip.getBoundingClientRect();
    const sticksOut = r.right > c.right + 1 + clip.scrollLeft || r.left < c.left - 1 - clip.scrollLeft;
    if (!sticksOut || reported.has(clip)) continue;
    if (!scrollsX(clip)) {
      // A box that hides what sticks out (overflow: hidden / clip): content is lost.
      if (clip.closest(".bd-sidebar-primary, .bd-sidebar-secondary, .bd-header-article, dialog")) continue;
      reported.add(clip);
      problems.push(`cut off (${Math.round(r.right - c.right)} px hidden, no scrolling): ${describe(el)} in ${describe(clip)}`);
    }
  }
  facts.elementsChecked = checked;

  // 3. Alt text: every image says what it shows, not where its file is.
  const pathLike = /(\.(png|jpe?g|gif|svg|webp)$)|\/_images\/|^[0-9a-f]{20,}/i;
  document.querySelectorAll("article img").forEach((img) => {
    const alt = (img.getAttribute("alt") || "").trim();
    if (!alt) problems.push(`image without alt text: ${img.getAttribute("src")}`);
    else if (pathLike.test(alt)) problems.push(`alt text is a file name: ${alt.slice(0, 60)}`);
    else if (alt.split(/\s+/).length < 3 && !img.closest(".headerbtn, .btn, a.navbar-brand"))
      problems.push(`alt text too short to describe a figure: "${alt}" (${img.getAttribute("src")})`);
  });
  facts.figures = document.querySelectorAll("article figure img").length;

  // 4. Dark mode follows the system, and figures sit on a light card in dark mode.
  facts.theme = document.documentElement.dataset.theme;
  if (facts.theme !== options.scheme) {
    problems.push(`system colour scheme is ${options.scheme}, page shows ${facts.theme}`);
  }
  if (options.scheme === "dark") {
    document.querySelectorAll("article figure img, article .cell_output img").forEach((img) => {
      const bg = getComputedStyle(img).backgroundColor;
      if (bg !== "rgb(255, 255, 255)") problems.push(`figure without a light card in dark mode (${bg}): ${img.getAttribute("alt").slice(0, 40)}`);
    });
  }

  // 5. Ids unique; a favicon.
  const ids = new Map();
  document.querySelectorAll("[id]").forEach((el) => ids.set(el.id, (ids.get(el.id) || 0) + 1));
  const repeated = [...ids].filter(([, n]) => n > 1).map(([id, n]) => `${id} ×${n}`);
  if (repeated.length) problems.push(`repeated ids: ${repeated.slice(0, 8).join(", ")}`);
  if (!document.querySelector("link[rel~='icon']")) problems.push("no favicon link");

  // 6. Icons: drawn by the Font Awesome webfont (not by fontawesome.js), with a glyph.
  const iconFaces = [...document.fonts].filter((f) => /Font Awesome/.test(f.family));
  facts.iconFaces = iconFaces.map((f) => `${f.family} ${f.weight} ${f.status}`);
  iconFaces.filter((f) => f.status === "error").forEach((f) => problems.push(`icon font failed to load: ${f.family} ${f.weight}`));
  const codepoints = new Set();
  document.querySelectorAll("i[class*='fa-'], span[class*='fa-']").forEach((el) => {
    if (el.getBoundingClientRect().width === 0) return;
    const content = getComputedStyle(el, "::before").content;
    if (!content || content === "none" || content === "normal") {
      problems.push(`icon with nothing to draw: ${el.className}`);
    } else {
      const s = content.replace(/^"|"$/g, "");
      codepoints.add(s.codePointAt(0));
    }
  });
  facts.iconCodepoints = [...codepoints];
  if (document.querySelector("script[src*='fontawesome']")) problems.push("fontawesome.js is loaded");

  // 7. Text is legible: WCAG AA contrast (4.5:1; 3:1 for large text, at least 24 px, or
  //    18.66 px bold) of every visible piece of text against the background it is drawn on,
  //    in the current colour scheme. This replaces axe-core's color-contrast rule, which
  //    took seconds a page. The background is the nearest ancestor's opaque background
  //    colour, with translucent ones composited over it; text over a background image is
  //    skipped (axe-core reports it as "needs review", not as a violation). Each distinct
  //    (colour, background, size class) is computed once. A formula (mjx-container) is
  //    checked as one piece of text in its own colour.
  const rgba = (c) => {
    if (!/^rgba?\(/.test(c)) problems.push(`a colour this check cannot read: ${c}`);  // oklch(), color(), ...
    return (c.match(/[\d.]+/g) || []).map(Number);
  };
  const over = ([r, g, b, a = 1], back) => [r, g, b].map((v, n) => a * v + (1 - a) * back[n]);
  const luminance = ([r, g, b]) => {
    const lin = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  // The background an element's text is drawn on: that of the nearest ancestor (or the
  // element) that paints one, translucent colours composited over what lies below; null
  // over a background image. Memoized along the tree.
  const drawnOn = new Map();
  const backgroundOf = (el) => {
    if (!el) return [255, 255, 255];  // the canvas
    if (drawnOn.has(el)) return drawnOn.get(el);
    const s = style(el);
    let result;
    if (s.backgroundImage !== "none") result = null;
    else {
      const c = rgba(s.backgroundColor);
      const a = c.length >= 4 ? c[3] : 1;
      if (a >= 1) result = c.slice(0, 3);
      else {
        const below = backgroundOf(el.parentElement);
        result = below && (a > 0 ? over(c, below) : below);
      }
    }
    drawnOn.set(el, result);
    return result;
  };
  const opacities = new Map();
  const opacityOf = (el) => {
    if (!el) return 1;
    if (!opacities.has(el)) opacities.set(el, Number(style(el).opacity) * opacityOf(el.parentElement));
    return opacities.get(el);
  };
  // The tokens of highlighted code take their colour from their class (the highlighter's
  // stylesheet): in a code block, one token of each class stands for the others (a rule that
  // coloured tokens by position rather than by class would escape this check; the book has none).
  const tokenClasses = new Map();
  const sameToken = (el) => {
    const pre = el.parentElement;
    let classes = tokenClasses.get(pre);
    if (!classes) tokenClasses.set(pre, classes = new Set());
    if (classes.has(el.className)) return true;
    classes.add(el.className);
    return false;
  };
  const textWalker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT, {
    acceptNode: (el) => {
      const tag = el.tagName;
      if (tag.startsWith("MJX-") && tag !== "MJX-CONTAINER") return NodeFilter.FILTER_REJECT;
      if (inside(el, "PRE")) return sameToken(el) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      if (tag === "svg" || tag === "IMG" || tag === "CANVAS" || ignored.has(el)) return NodeFilter.FILTER_REJECT;
      return NodeFilter.FILTER_ACCEPT;
    },
  });
  const ownText = (el) => {  // a text node of its own that is not blank
    for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 3 && n.nodeValue.trim()) return true;
    return false;
  };
  const seen = new Map();
  for (let el = textWalker.nextNode(); el; el = textWalker.nextNode()) {
    if (el.tagName !== "MJX-CONTAINER" && !ownText(el)) continue;
    const s = style(el);
    if (s.visibility !== "visible") continue;
    const back = backgroundOf(el);
    if (back === null) continue;  // text over an image
    const size = parseFloat(s.fontSize), large = size >= 24 || (Number(s.fontWeight) >= 700 && size >= 18.66);
    const [cr, cg, cb, ca = 1] = rgba(s.color);
    const front = over([cr, cg, cb, ca * opacityOf(el)], back);
    const key = `${front.map(Math.round)}|${back.map(Math.round)}|${large}`;
    if (seen.has(key)) continue;
    // Only drawn text counts: not text clipped away (.visually-hidden) or disabled.
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2 || el.closest("[disabled], [aria-disabled='true']")) continue;
    const fg = luminance(front), bg = luminance(back);
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    const needed = large ? 3 : 4.5;
    seen.set(key, { ratio, el });
    if (ratio < needed) {
      problems.push(`text contrast ${ratio.toFixed(2)} < ${needed} (${s.color} on rgb(${back.map(Math.round).join(", ")})): ${describe(el)}`);
    }
  }
  // 8. A link inside a block of text is told from the text by more than its colour (WCAG 1.4.1):
  //    underlined, or given a border, another weight, slant or background than the text around
  //    it. What axe-core's link-in-text-block rule checks (about 1 s a page there), here in both
  //    schemes and on both screens; stricter than axe, which lets a colour contrast of 3:1 with
  //    the text pass for review. A link is in a block of text when its block (nearest ancestor
  //    that is not inline) has text outside links.
  const blockOf = (el) => {
    let b = el.parentElement;
    while (b && style(b).display.startsWith("inline")) b = b.parentElement;
    return b;
  };
  const outside = new Map();
  const textOutsideLinks = (block) => {
    if (!outside.has(block)) {
      const w = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
      let found = false;
      for (let n = w.nextNode(); n && !found; n = w.nextNode()) {
        found = n.nodeValue.trim() !== "" && !n.parentElement.closest("a, " + IGNORED);
      }
      outside.set(block, found);
    }
    return outside.get(block);
  };
  const decorated = (s) => /underline|overline|line-through/.test(s.textDecorationLine);
  let textLinks = 0;
  document.querySelectorAll("a[href]").forEach((a) => {
    if (a.closest(IGNORED) || !a.textContent.trim()) return;
    const s = style(a), r = a.getBoundingClientRect();
    if (s.visibility !== "visible" || opacityOf(a) === 0 || r.width < 1 || r.height < 1) return;
    const block = blockOf(a);
    if (!block || !textOutsideLinks(block)) return;
    textLinks++;
    const b = style(block);
    const distinct = decorated(s) && !decorated(b)
      || (parseFloat(s.borderBottomWidth) > 0 && s.borderBottomStyle !== "none")
      || s.fontWeight !== b.fontWeight || s.fontStyle !== b.fontStyle
      || (s.backgroundColor !== b.backgroundColor && rgba(s.backgroundColor)[3] !== 0);
    if (!distinct) problems.push(`a link told from its text by colour alone: ${describe(a)}`);
  });
  facts.textLinks = textLinks;

  // 9. Nothing moves for a reader who asked for reduced motion (the test's browser does): no
  //    element or pseudo-element that a rule with a transition or an animation selects (in any
  //    stylesheet of the page, those it @imports included, or in a style attribute) has one that
  //    lasts, and none runs now (document.getAnimations()). Only the elements those rules select
  //    are read: reading every element's style cost 0.1 s a check. Once a load (options.motion:
  //    in light mode). Blind to a rule that applies only in a state (`:hover`, `:focus`): the
  //    elements are read as they are, unhovered.
  if (options.motion && matchMedia("(prefers-reduced-motion: reduce)").matches) {
    const lasts = (durations) => (durations || "0s").split(",").some((d) => parseFloat(d) > 0);
    const moves = (st) => lasts(st.transitionDuration) || (!!st.animationName && st.animationName !== "none" && lasts(st.animationDuration || "1s"));
    // A declaration through a custom property (Bootstrap's `transition: var(--bs-offcanvas-transition)`)
    // leaves the longhands empty until an element computes it: such a rule is read as one that may move.
    const declared = (s) => moves(s) || /var\(/.test(`${s.transition} ${s.transitionDuration} ${s.animation} ${s.animationName} ${s.animationDuration}`);
    const selectors = new Set();
    const collect = (rules) => {
      for (const rule of rules) {
        if (rule instanceof CSSStyleRule && declared(rule.style)) selectors.add(rule.selectorText);
        if (rule.cssRules) collect(rule.cssRules);  // @media, @supports, @layer, nested rules
        if (rule instanceof CSSImportRule && rule.styleSheet) read(rule.styleSheet);  // @import (theme.css imports basic.css)
      }
    };
    const read = (sheet) => {
      try { collect(sheet.cssRules); } catch (e) { problems.push(`a stylesheet this check cannot read: ${sheet.href}`); }
    };
    for (const sheet of document.styleSheets) read(sheet);
    const moving = new Set();
    let examined = 0;  // elements and pseudo-elements read: rules alone would prove nothing was checked
    const PSEUDO = /::?(before|after|marker|backdrop|placeholder|file-selector-button|-webkit-[\w-]+)\b/;
    for (const list of selectors) {
      for (const one of list.split(/,(?![^(]*\))/)) {
        const pseudo = (one.match(PSEUDO) || [])[1];
        let found = [];
        try { found = document.querySelectorAll(one.replace(PSEUDO, "").trim() || "*"); } catch (e) { continue; }  // e.g. ::-moz-range-thumb
        found.forEach((el) => {
          examined += 1;
          const st = getComputedStyle(el, pseudo ? "::" + pseudo : null);
          if (moves(st)) moving.add(`${one.trim()} (transition ${st.transitionDuration}, animation ${st.animationName})`);
        });
      }
    }
    document.querySelectorAll("[style*='transition' i], [style*='animation' i]").forEach((el) => {
      if (moves(getComputedStyle(el))) moving.add(`${describe(el)} (its style attribute)`);  // computed: var() too
    });
    document.getAnimations().forEach((a) => moving.add(`running: ${a.constructor.name} ${a.transitionProperty || a.animationName || ""}`));
    [...moving].slice(0, 8).forEach((m) => problems.push(`moves with reduced motion asked for: ${m}`));
    facts.motionRules = selectors.size;
    facts.motionElements = examined;
  }

  const ratios = [...seen.values()].map((v) => v.ratio);
  facts.colourPairs = ratios.length;
  facts.worstContrast = Math.min(...ratios);
  facts.codeColourPairs = [...seen.values()].filter((v) => v.el.closest(".highlight pre")).length;

  return { problems, facts };
}
