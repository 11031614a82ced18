// Every lesson in the page as a learner goes through it (tests/e2e/lessonPage.mjs's
// checkLessonLabs): each lab loaded and trained to its steps, the answer after the run, the
// checks holding on the run, "Open in the lab ↗" with the same settings.
import { test } from 'node:test';
import { useBrowser } from '../e2e/helpers.mjs';
import { checkLessonLabs } from '../e2e/lessonPage.mjs';
import { LESSONS } from '../../web/src/lessons/content.js';

const { server, browser } = useBrowser();

for (const lesson of LESSONS) {
  test(`lesson ${lesson.id}: its labs load and train, the answer shows after the run, its checks hold on the run`, async () => {
    await checkLessonLabs(browser, server, lesson);
  });
}
