/*! Crossdock embeds: live listings, prices and delivery windows on your page.
 *
 *   <div data-crossdock-listing="42" data-market="DE" data-theme="dark" data-partner="your-site"></div>
 *   <div data-crossdock-search="desk lamp" data-limit="6" data-partner="your-site"></div>
 *   <script async src="https://CROSSDOCK/public/embed.js"></script>
 *
 * Each element becomes a frame of Crossdock's embed page, from the origin this script was
 * loaded from, when it scrolls near the screen; the frame tells this script its height
 * (postMessage, checked for origin and frame) and is resized to fit. Elements added later
 * are found too; each element is handled once, even with the script on the page twice.
 * Defines no globals. Docs: /embed on the same origin.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src) return;
  var origin;
  try {
    origin = new URL(script.src).origin;
  } catch (e) {
    return;
  }
  if (!origin || origin === "null") return;

  var STATE = "data-crossdock-state";
  var SELECTOR = "[data-crossdock-listing],[data-crossdock-search]";
  var frames = {};
  var count = 0;
  var observer =
    "IntersectionObserver" in window
      ? new IntersectionObserver(
          function (entries) {
            for (var i = 0; i < entries.length; i++) {
              if (entries[i].isIntersecting) {
                observer.unobserve(entries[i].target);
                load(entries[i].target);
              }
            }
          },
          { rootMargin: "300px 0px" }
        )
      : null;

  function option(el, name, pattern) {
    var v = (el.getAttribute("data-" + name) || "").trim();
    return pattern.test(v) ? v : "";
  }

  // The embed page's address for `el`, or "" when the snippet has a mistake.
  function address(el, id) {
    var listing = el.getAttribute("data-crossdock-listing");
    var path;
    var query = [];
    if (listing !== null) {
      listing = listing.trim();
      if (!/^[1-9][0-9]{0,17}$/.test(listing)) return "";
      path = "/embed/listing/" + listing;
    } else {
      path = "/embed/search";
      query.push("q=" + encodeURIComponent((el.getAttribute("data-crossdock-search") || "").trim().slice(0, 200)));
      var limit = option(el, "limit", /^[0-9]{1,2}$/);
      if (limit) query.push("limit=" + limit);
    }
    var market = option(el, "market", /^[A-Za-z]{2}$/);
    var theme = option(el, "theme", /^(light|dark)$/);
    var partner = option(el, "partner", /^[A-Za-z0-9._-]{1,64}$/);
    if (market) query.push("market=" + market.toUpperCase());
    if (theme) query.push("theme=" + theme);
    if (partner) query.push("partner=" + partner);
    query.push("frame=" + id);
    return origin + path + "?" + query.join("&");
  }

  // Replaces `el` with the frame.
  function load(el) {
    if (el.getAttribute(STATE) !== "waiting" || !el.parentNode) return;
    var id = "cd" + ++count + "-" + Math.random().toString(36).slice(2, 10);
    var src = address(el, id);
    if (!src) {
      el.setAttribute(STATE, "invalid");
      return;
    }
    el.setAttribute(STATE, "loaded");
    var search = el.hasAttribute("data-crossdock-search");
    var frame = document.createElement("iframe");
    frame.src = src;
    frame.title = search
      ? "Crossdock listings: " + (el.getAttribute("data-crossdock-search") || "").trim()
      : "Crossdock listing " + el.getAttribute("data-crossdock-listing").trim();
    frame.className = el.className;
    frame.setAttribute("data-crossdock-frame", id);
    frame.setAttribute("scrolling", "no");
    // The embed learns the page's origin from the referrer where the browser has no
    // location.ancestorOrigins; it needs no more than the origin.
    frame.referrerPolicy = "origin";
    frame.setAttribute(
      "sandbox",
      "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-forms"
    );
    // The frame's colour scheme matches the embed's, so the browser keeps it transparent
    // around the card's rounded corners.
    var theme = option(el, "theme", /^(light|dark)$/);
    frame.style.cssText =
      "display:block;width:100%;border:0;overflow:hidden;color-scheme:" + (theme || "light dark") +
      ";height:" + (search ? 420 : 190) + "px;" + (el.getAttribute("style") || "");
    frames[id] = frame;
    el.parentNode.replaceChild(frame, el);
  }

  // Marks and queues each element under `root` not seen before (by this or any other
  // copy of this script).
  function scan(root) {
    var list = [];
    if (root.nodeType !== 1 && root.nodeType !== 9) return;
    if (root.nodeType === 1 && root.matches && root.matches(SELECTOR)) list.push(root);
    if (root.querySelectorAll) {
      var found = root.querySelectorAll(SELECTOR);
      for (var i = 0; i < found.length; i++) list.push(found[i]);
    }
    for (var j = 0; j < list.length; j++) {
      var el = list[j];
      if (el.hasAttribute(STATE)) continue;
      el.setAttribute(STATE, "waiting");
      if (observer) observer.observe(el);
      else load(el);
    }
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== origin) return;
    var data = event.data;
    if (!data || data.type !== "crossdock:size" || typeof data.id !== "string") return;
    if (!Object.prototype.hasOwnProperty.call(frames, data.id)) return;
    var frame = frames[data.id];
    if (event.source !== frame.contentWindow) return;
    var height = Math.ceil(Number(data.height));
    if (height > 0 && height < 10000) frame.style.height = height + "px";
  });

  scan(document);
  if ("MutationObserver" in window) {
    new MutationObserver(function (records) {
      for (var i = 0; i < records.length; i++) {
        // An element added, or the attribute set on one already in the page.
        if (records[i].type === "attributes") scan(records[i].target);
        var added = records[i].addedNodes;
        for (var j = 0; j < added.length; j++) scan(added[j]);
      }
    }).observe(document.documentElement, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ["data-crossdock-listing", "data-crossdock-search"],
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      scan(document);
    });
  }
})();
