/* Rapport's chat widget for a business's own website. Add, where the button should appear:

     <script src="https://YOUR-RAPPORT/static/rapport/widget.js" data-rapport-widget="WIDGET_KEY" defer></script>

   It adds one button; pressing it opens the chat, a page served by Rapport in an iframe
   (/chat/WIDGET_KEY/). Nothing else is loaded, nothing is read from the page, no cookies are
   set; the visitor's random chat key is kept in this site's localStorage. Optional:
   data-label="Chat with us" for the button's words. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.getAttribute("data-rapport-widget")) return;
  var key = script.getAttribute("data-rapport-widget");
  var origin = new URL(script.src, window.location.href).origin;
  var label = script.getAttribute("data-label") || "Chat with us";
  var frame = null;

  var button = document.createElement("button");
  button.type = "button";
  button.textContent = label;
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("aria-controls", "rapport-chat-" + key);
  Object.assign(button.style, {
    position: "fixed", right: "1rem", bottom: "1rem", zIndex: "2147483000",
    font: "600 16px system-ui, sans-serif", minHeight: "44px", padding: "0.6rem 1.1rem",
    borderRadius: "999px", border: "0", background: "#1d5fa8", color: "#fff", cursor: "pointer",
    boxShadow: "0 2px 10px rgba(0,0,0,.25)",
  });

  // The visitor's key, kept in this website's own storage too: browsers that withhold
  // storage from embedded frames would otherwise forget the conversation on every page. It
  // goes to the frame in the fragment, which browsers never send to a server.
  function visitorFragment() {
    var name = "rapport-chat:" + key + ":visitor";
    try {
      var visitor = window.localStorage.getItem(name);
      if (!visitor) {
        var bytes = new Uint8Array(32);
        window.crypto.getRandomValues(bytes);
        visitor = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
        window.localStorage.setItem(name, visitor);
      }
      return "#v=" + visitor;
    } catch (e) {
      return "";
    }
  }

  function open() {
    if (!frame) {
      frame = document.createElement("iframe");
      frame.id = "rapport-chat-" + key;
      frame.src = origin + "/chat/" + encodeURIComponent(key) + "/" + visitorFragment();
      frame.title = "Chat with us";
      Object.assign(frame.style, {
        position: "fixed", right: "0.5rem", bottom: "4.5rem", zIndex: "2147483000",
        width: "min(24rem, calc(100vw - 1rem))", height: "min(36rem, calc(100vh - 5.5rem))",
        border: "1px solid #c9d0d8", borderRadius: "12px", background: "#fbfaf7",
        boxShadow: "0 4px 24px rgba(0,0,0,.2)",
      });
      document.body.appendChild(frame);
    }
    frame.hidden = false;
    button.setAttribute("aria-expanded", "true");
    button.textContent = "Close the chat";
    frame.focus();
  }

  function close() {
    if (frame) frame.hidden = true;
    button.setAttribute("aria-expanded", "false");
    button.textContent = label;
  }

  button.addEventListener("click", function () {
    if (button.getAttribute("aria-expanded") === "true") close(); else open();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      close();
      button.focus();
    }
  });

  if (document.body) document.body.appendChild(button);
  else document.addEventListener("DOMContentLoaded", function () { document.body.appendChild(button); });
})();
