// A node:cluster worker for hostile-worker.test.ts that speaks the snapshot
// protocol by hand, without the exporter, as any code in a worker could. It
// announces itself, then answers each snapshot request with the answer the
// test set (`{ fixture: 'answer', answer }`; none: it stays silent), its
// requestId filled in unless the answer has one. `{ fixture: 'send', message }`
// sends a message as is. Both are acknowledged with `{ fixture: 'done', id }`.
const { READY_TYPE, REQUEST_TYPE } = process.env;

let answer;

process.on('message', (message) => {
  if (message?.fixture === 'answer') answer = message.answer;
  else if (message?.fixture === 'send') process.send(message.message);
  else if (message?.type === REQUEST_TYPE && answer) process.send({ requestId: message.requestId, ...answer });
  if (message?.fixture) process.send({ fixture: 'done', id: message.id });
});

process.send({ type: READY_TYPE });
process.send({ fixture: 'listening' });
