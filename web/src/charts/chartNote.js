// A note in a chart's card that says in words why the chart leaves something out (a log
// scale cannot show 0); hidden when there is nothing to say.
export function chartNote(card) {
  const note = document.createElement('p');
  note.className = 'chart-note';
  note.dataset.testid = `note-${card}`;
  note.hidden = true;
  return note;
}

export function setNote(note, text) {
  if (note.textContent !== text) note.textContent = text;
  note.hidden = !text;
}
