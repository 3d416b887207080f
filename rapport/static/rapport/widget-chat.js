/* The chat inside the widget's iframe (rapport/inbox/widget_views.py).

   The visitor is a random secret key kept in this frame's localStorage (in memory when the
   browser refuses storage); no cookies. Each message gets its own id before it is sent and
   stays in the page (and in localStorage) until the server says it is stored, so a retry
   after a lost answer is stored once. Replies are fetched by polling, faster after a
   message and slower while nothing happens. Text is only ever set as text, never as HTML. */
(function () {
  "use strict";

  var root = document.getElementById("chat");
  var urls = {
    send: root.dataset.sendUrl,
    poll: root.dataset.pollUrl,
    person: root.dataset.personUrl,
    contact: root.dataset.contactUrl,
  };
  var MAX = parseInt(root.dataset.max, 10);
  var prefix = "rapport-chat:" + root.dataset.widget + ":";
  var log = document.getElementById("messages");
  var text = document.getElementById("text");
  var textError = document.getElementById("text-error");
  var count = document.getElementById("count");
  var notice = document.getElementById("notice");
  var personStatus = document.getElementById("person-status");
  var contactStatus = document.getElementById("contact-status");
  var FAST = 2000, SLOW = 15000, IDLE = 30000;

  var store = (function () {
    var memory = {};
    try {
      var probe = prefix + "probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return {
        get: function (k) { return window.localStorage.getItem(prefix + k); },
        set: function (k, v) { window.localStorage.setItem(prefix + k, v); },
      };
    } catch (e) {
      return {
        get: function (k) { return memory[k] === undefined ? null : memory[k]; },
        set: function (k, v) { memory[k] = v; },
      };
    }
  })();

  function randomId(bytes) {
    var a = new Uint8Array(bytes);
    window.crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // Browsers that withhold storage from embedded frames: the loader keeps the key in the
  // website's own storage and hands it over in the fragment, which never reaches a server.
  var handed = (window.location.hash.match(/^#v=([0-9a-f]{64})$/) || [])[1];
  if (window.location.hash) window.history.replaceState(null, "", window.location.pathname);
  var visitor = store.get("visitor") || handed || randomId(32);
  store.set("visitor", visitor);
  var outbox = [];
  try { outbox = JSON.parse(store.get("outbox") || "[]"); } catch (e) { outbox = []; }
  var contact = { name: store.get("name") || "", email: store.get("email") || "" };
  var last = 0;
  var talking = true; // until the first poll finds no conversation
  var delay = FAST;
  var timer = null;

  function saveOutbox() {
    store.set("outbox", JSON.stringify(outbox.map(function (m) {
      return { client_id: m.client_id, text: m.text, state: m.state === "sending" ? "sending" : "failed", error: m.error || "" };
    })));
  }

  function post(url, body) {
    body.visitor = visitor;
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      credentials: "omit",
      cache: "no-store",
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { ok: response.ok, status: response.status, data: data };
      });
    });
  }

  // --- drawing ---------------------------------------------------------------------------

  function el(tag, cls, content) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (content !== undefined) node.textContent = content;
    return node;
  }

  function timeOf(iso) {
    var at = new Date(iso);
    var t = el("time", "chat-time", at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }));
    t.dateTime = iso;
    return t;
  }

  function bubble(mine, who) {
    var li = el("li", "chat-msg " + (mine ? "from-you" : "from-them"));
    var head = el("p", "chat-who", who);
    li.appendChild(head);
    li.appendChild(el("p", "chat-text"));
    li.appendChild(el("p", "chat-state"));
    log.appendChild(li);
    return li;
  }

  function stateOf(li, words, retry) {
    var state = li.querySelector(".chat-state");
    state.textContent = words;
    if (retry) {
      var again = el("button", "chat-retry", "Retry");
      again.type = "button";
      again.addEventListener("click", retry);
      state.appendChild(document.createTextNode(" "));
      state.appendChild(again);
    }
  }

  function find(attr, value) {
    var items = log.children;
    for (var i = 0; i < items.length; i++) {
      if (items[i].getAttribute(attr) === String(value)) return items[i];
    }
    return null;
  }

  function show(m) {
    if (find("data-id", m.id)) return false;
    var mine = m.author === "customer";
    var li = (mine && m.client_id && find("data-client-id", m.client_id)) || bubble(mine, m.who);
    li.setAttribute("data-id", m.id);
    if (m.client_id) li.setAttribute("data-client-id", m.client_id);
    li.querySelector(".chat-text").textContent = m.text;
    var head = li.querySelector(".chat-who");
    head.textContent = m.who + " ";
    head.appendChild(timeOf(m.at));
    stateOf(li, mine ? "Delivered" : "");
    return true;
  }

  // --- sending ---------------------------------------------------------------------------

  function send(item, attempt) {
    item.state = "sending";
    saveOutbox();
    var li = find("data-client-id", item.client_id);
    if (!li) {
      li = bubble(true, "You");
      li.setAttribute("data-client-id", item.client_id);
      li.querySelector(".chat-text").textContent = item.text;
    }
    stateOf(li, "Sending…");
    post(urls.send, { client_id: item.client_id, text: item.text, name: contact.name, email: contact.email })
      .then(function (r) {
        if (r.ok) {
          outbox = outbox.filter(function (m) { return m.client_id !== item.client_id; });
          saveOutbox();
          show(r.data.message);
          talking = true;
          delay = FAST;
          later(1000);
          return;
        }
        if (r.status >= 500) throw new Error("server");
        failed(item, li, (r.data && r.data.error) || "Not sent.", r.status === 429);
      }).catch(function () {
        // No answer at all (offline, a dropped connection) or a server error: try again by
        // itself a few times, with the same id.
        if ((attempt || 0) < 3) {
          stateOf(li, "Sending… (connection trouble, trying again)");
          setTimeout(function () { send(item, (attempt || 0) + 1); }, 1000 * Math.pow(2, attempt || 0));
        } else {
          failed(item, li, "Not sent: no connection.", true);
        }
      });
  }

  function failed(item, li, why, canRetry) {
    item.state = "failed";
    item.error = why;
    saveOutbox();
    stateOf(li, "Failed — " + why, function () { send(item, 0); });
    if (!canRetry) li.classList.add("chat-refused");
  }

  document.getElementById("compose").addEventListener("submit", function (event) {
    event.preventDefault();
    var body = text.value.trim();
    textError.textContent = "";
    if (!body) {
      textError.textContent = "Write a message first.";
      text.focus();
      return;
    }
    if (body.length > MAX) {
      textError.textContent = "A message can be at most " + MAX.toLocaleString("en") + " characters; this one has " + body.length.toLocaleString("en") + ".";
      text.focus();
      return;
    }
    var item = { client_id: randomId(16), text: body, state: "sending" };
    outbox.push(item);
    text.value = "";
    count.textContent = "";
    send(item, 0);
  });

  text.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      document.getElementById("compose").requestSubmit();
    }
  });

  text.addEventListener("input", function () {
    var n = text.value.length;
    count.textContent = n > MAX * 0.8 ? " (" + n.toLocaleString("en") + " written)" : "";
  });

  // --- a person ----------------------------------------------------------------------------

  document.getElementById("person").addEventListener("click", function () {
    personStatus.textContent = "Asking for a person…";
    post(urls.person, {}).then(function (r) {
      personStatus.textContent = r.ok ? r.data.said : (r.data.error || "That did not work; try again.");
      if (!r.ok && r.status === 409) text.focus();
      delay = FAST;
      later(500);
    }, function () {
      personStatus.textContent = "No connection; try again in a moment.";
    });
  });

  var contactForm = document.getElementById("contact");
  contactForm.elements.name.value = contact.name;
  contactForm.elements.email.value = contact.email;
  contactForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var email = contactForm.elements.email;
    if (email.value && !email.checkValidity()) {
      contactStatus.textContent = "That e-mail address does not look right.";
      email.focus();
      return;
    }
    contact = { name: contactForm.elements.name.value.trim(), email: email.value.trim() };
    store.set("name", contact.name);
    store.set("email", contact.email);
    post(urls.contact, contact).then(function (r) {
      contactStatus.textContent = r.ok ? r.data.said : (r.data.error || "Not saved; try again.");
    }, function () {
      contactStatus.textContent = "Not saved: no connection.";
    });
  });

  // --- replies -----------------------------------------------------------------------------

  function later(ms) {
    clearTimeout(timer);
    timer = setTimeout(poll, ms);
  }

  function poll() {
    if (!talking && !outbox.length) {
      later(SLOW);
      return Promise.resolve();
    }
    return post(urls.poll, { after: last }).then(function (r) {
      if (!r.ok) {
        delay = Math.min(delay * 2, IDLE);
        return;
      }
      var fresh = false;
      r.data.messages.forEach(function (m) {
        fresh = show(m) || fresh;
        last = Math.max(last, m.id);
      });
      talking = talking && last > 0;
      notice.textContent = r.data.notice;
      notice.hidden = !r.data.notice;
      if (r.data.with_person && !personStatus.textContent) {
        personStatus.textContent = "A person has your conversation and will reply here.";
      }
      delay = fresh ? FAST : Math.min(Math.round(delay * 1.5), document.hidden ? IDLE : SLOW);
    }, function () {
      delay = Math.min(delay * 2, IDLE);
    }).then(function () { later(delay); });
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { delay = FAST; later(100); }
  });
  window.addEventListener("online", function () {
    outbox.forEach(function (m) { if (m.state === "failed") send(m, 0); });
  });

  // Messages left unsent when the page closed: shown again after the conversation so far,
  // and those still sending go out again with their own ids (the server keeps one of each).
  function restore() {
    outbox.forEach(function (m) {
      if (m.state === "sending") {
        send(m, 0);
      } else {
        var li = bubble(true, "You");
        li.setAttribute("data-client-id", m.client_id);
        li.querySelector(".chat-text").textContent = m.text;
        failed(m, li, m.error || "Not sent.", true);
      }
    });
  }

  // The conversation so far (there may be one from an earlier visit), then what was unsent.
  poll().then(restore);
})();
