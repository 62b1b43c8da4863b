"use strict";
// The sandbox invoice page: "Pay" sends CryptoBot's signed notification to
// the service, "Fail" lets the invoice lapse.
const payment = new URLSearchParams(location.search).get("payment") || "";
const invoiceLine = document.getElementById("invoice");
const result = document.getElementById("result");

async function show() {
  const state = await (await fetch("/sandbox/api/state")).json();
  const p = state.payments.find((x) => x.payment === payment);
  invoiceLine.textContent = p
    ? `Invoice ${p.payment}: ${p.amount} ${p.fiat} — ${p.description} (${p.status})`
    : `No invoice ${payment}`;
}

async function act(path) {
  const r = await fetch(path, {
    method: "POST",
    headers: {"Content-Type": "application/json"},
    body: JSON.stringify({payment}),
  });
  const body = await r.json();
  result.textContent = r.ok ? `Done: ${body.status}. Go back to the chat.` : `Refused: ${body.message}`;
  show();
}

document.getElementById("pay").onclick = () => act("/sandbox/api/pay");
document.getElementById("fail").onclick = () => act("/sandbox/api/fail");
show();
