"use strict";
// The sandbox's web chat: a Telegram-like view of one pretend user's chat
// with the bot (GET /sandbox/api/chat, polled), its buttons pressed through
// POST /sandbox/api/press, and a side panel of the 3x-ui emulator's clients
// and the payments (GET /sandbox/api/state).

const chat = document.getElementById("chat");
const userSelect = document.getElementById("user");
const input = document.getElementById("input");
let userId = Number(new URLSearchParams(location.search).get("user_id") || 1);
let lastChat = "";

async function post(path, body) {
  const r = await fetch(path, {
    method: "POST",
    headers: {"Content-Type": "application/json"},
    body: JSON.stringify(body),
  });
  return r.json();
}

// Telegram's HTML subset; everything else is shown as text.
const allowed = {B: "b", STRONG: "b", I: "i", EM: "i", U: "u", INS: "u", S: "s", STRIKE: "s",
  DEL: "s", CODE: "code", PRE: "pre", A: "a", BLOCKQUOTE: "blockquote", SPAN: "span",
  "TG-SPOILER": "span"};

function formatted(text, parseMode) {
  const out = document.createDocumentFragment();
  if (parseMode !== "HTML") {
    out.append(text);
    return out;
  }
  const doc = new DOMParser().parseFromString(`<body>${text}</body>`, "text/html");
  const copy = (from, to) => {
    for (const node of from.childNodes) {
      if (node.nodeType === Node.TEXT_NODE) {
        to.append(node.textContent);
      } else if (node.nodeType === Node.ELEMENT_NODE && allowed[node.tagName]) {
        const el = document.createElement(allowed[node.tagName]);
        if (el.tagName === "A") {
          const href = node.getAttribute("href") || "";
          if (/^(https?|vless|tg):/i.test(href)) el.href = href;
          el.target = "_blank";
        }
        copy(node, el);
        to.append(el);
      } else {
        copy(node, to);
      }
    }
  };
  copy(doc.body, out);
  return out;
}

function keyboard(message) {
  const rows = message.reply_markup && message.reply_markup.inline_keyboard;
  if (!rows) return null;
  const box = document.createElement("div");
  box.className = "keyboard";
  for (const row of rows) {
    const line = document.createElement("div");
    line.className = "row";
    for (const b of row) {
      let el;
      if (b.url) {
        el = document.createElement("a");
        el.href = b.url;
        el.target = "_blank";
      } else {
        el = document.createElement("button");
        el.type = "button";
        el.onclick = () => post("/sandbox/api/press",
          {user_id: userId, message_id: message.message_id, data: b.callback_data}).then(refresh);
      }
      el.className = "button";
      el.textContent = b.text;
      line.append(el);
    }
    box.append(line);
  }
  return box;
}

function render(messages) {
  const atBottom = chat.scrollTop + chat.clientHeight >= chat.scrollHeight - 40;
  chat.replaceChildren();
  for (const m of messages) {
    const el = document.createElement("div");
    el.className = `msg ${m.from}`;
    el.dataset.messageId = m.message_id;
    if (m.photo) {
      const img = document.createElement("img");
      img.className = "photo";
      img.src = m.photo;
      img.alt = "photo";
      el.append(img);
    }
    if (m.invoice) {
      const title = document.createElement("div");
      title.className = "invoice";
      title.textContent = m.invoice.title || "Invoice";
      el.append(title);
    }
    const body = document.createElement("div");
    body.className = "text";
    body.append(formatted(m.text ?? m.caption ?? "", m.parse_mode));
    el.append(body);
    const kb = keyboard(m);
    if (kb) el.append(kb);
    chat.append(el);
  }
  if (atBottom) chat.scrollTop = chat.scrollHeight;
}

async function refresh() {
  const r = await fetch(`/sandbox/api/chat?user_id=${userId}`);
  const text = await r.text();
  if (text !== lastChat) {
    lastChat = text;
    render(JSON.parse(text));
  }
}

function cell(row, text) {
  const td = document.createElement("td");
  td.textContent = text;
  row.append(td);
  return td;
}

function when(ms) {
  return ms > 0 ? new Date(ms).toISOString().replace("T", " ").slice(0, 16) : "never";
}

async function refreshSide() {
  const state = await (await fetch("/sandbox/api/state")).json();
  if (!userSelect.options.length) {
    for (const u of state.users) {
      const o = document.createElement("option");
      o.value = u.id;
      o.textContent = `${u.name} · ${u.language}${u.admin ? " · admin" : ""}`;
      userSelect.append(o);
    }
    userSelect.value = userId;
  }
  const clients = document.querySelector("#clients tbody");
  clients.replaceChildren();
  for (const c of state.panel.clients) {
    const row = document.createElement("tr");
    cell(row, c.email);
    cell(row, c.enable ? "yes" : "no");
    cell(row, when(c.expiryTime));
    cell(row, c.totalGB > 0 ? `${(c.totalGB / 2 ** 30).toFixed(0)} GiB` : "unlimited");
    clients.append(row);
  }
  const payments = document.querySelector("#payments tbody");
  payments.replaceChildren();
  for (const p of state.payments) {
    const row = document.createElement("tr");
    cell(row, p.payment);
    cell(row, `${p.amount} ${p.fiat}`);
    cell(row, p.status);
    const actions = cell(row, "");
    if (p.status === "active") {
      const link = document.createElement("a");
      link.href = p.pay_url;
      link.target = "_blank";
      link.textContent = "open";
      actions.append(link);
    }
    payments.append(row);
  }
}

userSelect.onchange = () => {
  userId = Number(userSelect.value);
  lastChat = "";
  refresh();
};
document.getElementById("composer").onsubmit = (e) => {
  e.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  post("/sandbox/api/send", {user_id: userId, text}).then(refresh);
};
document.getElementById("start").onclick = () =>
  post("/sandbox/api/send", {user_id: userId, text: "/start"}).then(refresh);

refresh();
refreshSide();
setInterval(refresh, 700);
setInterval(refreshSide, 2000);
