// A 2-D data set drawn onto the plane [-1, 1]², as convnetjs lets people do: a click or a
// tap places a point of the current class, a click on a point removes it. By keyboard the
// plane is one focusable element with a cursor: arrows move it, Space or Enter places a
// point, C switches the class (or a digit picks one), Delete removes the point under the
// cursor (else the last one). The points become CSV text for the engine (x,y,class).
import { CLASS_RGB } from './charts/boundary.js';
import { PLANE_EXTENT, RESOLUTION } from './customData.js';

const STEP = 0.05;           // an arrow key's move (Shift: four times)
const HIT = 0.06;            // how near a click or the cursor must be to take a point away

const round = (v) => Math.max(-PLANE_EXTENT, Math.min(PLANE_EXTENT, Math.round(v / RESOLUTION) * RESOLUTION));
const colour = (c) => `rgb(${CLASS_RGB[c % CLASS_RGB.length].join(', ')})`;

export class DrawData {
  /**
   * @param {HTMLElement} root  where the plane and its class buttons go
   * @param {{ maxClasses: number, maxPoints: number, onChange(points): void }} options
   */
  constructor(root, { maxClasses, maxPoints, onChange }) {
    this.maxClasses = maxClasses;
    this.maxPoints = maxPoints;
    this.onChange = onChange;
    this.points = [];
    this.current = 0;
    this.classCount = 2;
    this.cursor = { x: 0, y: 0 };
    this.showCursor = false;

    this.classBar = document.createElement('div');
    this.classBar.className = 'draw-classes';
    this.classBar.setAttribute('role', 'radiogroup');
    this.classBar.setAttribute('aria-label', 'Class of the next point');

    this.canvas = document.createElement('canvas');
    this.canvas.className = 'draw-plane';
    this.canvas.tabIndex = 0;
    this.canvas.dataset.testid = 'draw-plane';
    this.canvas.setAttribute('role', 'application');
    this.canvas.setAttribute('aria-roledescription', 'drawing plane');
    this.canvas.setAttribute('aria-label', `Drawing plane, x and y from ${-PLANE_EXTENT} to ${PLANE_EXTENT}`);
    this.canvas.setAttribute('aria-describedby', 'draw-help');
    this.canvas.addEventListener('pointerdown', (e) => this.#pointer(e));
    this.canvas.addEventListener('keydown', (e) => this.#key(e));
    this.canvas.addEventListener('focus', () => { this.showCursor = true; this.draw(); });
    this.canvas.addEventListener('blur', () => { this.showCursor = false; this.draw(); });

    this.status = document.createElement('p');
    this.status.className = 'hint draw-status';
    this.status.dataset.testid = 'draw-status';
    this.status.setAttribute('aria-live', 'polite');

    root.append(this.classBar, this.canvas, this.status);
    this.#renderClasses();
    this.draw();
  }

  /** Replaces the points (from a link); the class count follows the highest class. */
  setPoints(points) {
    this.points = points.slice(0, this.maxPoints);
    this.classCount = Math.max(2, ...this.points.map((p) => p.c + 1));
    this.current = Math.min(this.current, this.classCount - 1);
    this.#renderClasses();
    this.draw();
  }

  clear() {
    this.points = [];
    this.#changed('Cleared: no points.');
  }

  removeLast() {
    const p = this.points.pop();
    this.#changed(p ? `Removed a point of class ${p.c}.` : 'No point to remove.');
  }

  #renderClasses() {
    this.classBar.replaceChildren();
    for (let c = 0; c < this.classCount; c++) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'btn btn-quiet draw-class';
      b.dataset.testid = `draw-class-${c}`;
      b.setAttribute('role', 'radio');
      b.setAttribute('aria-checked', String(c === this.current));
      b.style.setProperty('--class-colour', colour(c));
      b.textContent = `class ${c}`;
      b.addEventListener('click', () => this.#select(c));
      this.classBar.append(b);
    }
    if (this.classCount < this.maxClasses) {
      const add = document.createElement('button');
      add.type = 'button';
      add.className = 'btn btn-quiet';
      add.dataset.testid = 'draw-add-class';
      add.textContent = '+ class';
      add.addEventListener('click', () => {
        this.classCount += 1;
        this.#select(this.classCount - 1);
      });
      this.classBar.append(add);
    }
  }

  #select(c) {
    this.current = c;
    this.#renderClasses();
    this.#say(`Placing class ${c}.`);
  }

  // Plane coordinates of a pointer event (y up).
  #at(event) {
    const r = this.canvas.getBoundingClientRect();
    return {
      x: ((event.clientX - r.left) / r.width) * 2 * PLANE_EXTENT - PLANE_EXTENT,
      y: PLANE_EXTENT - ((event.clientY - r.top) / r.height) * 2 * PLANE_EXTENT,
    };
  }

  #nearest({ x, y }) {
    let best = -1;
    let bestD = HIT;
    this.points.forEach((p, i) => {
      const d = Math.hypot(p.x - x, p.y - y);
      if (d <= bestD) { best = i; bestD = d; }
    });
    return best;
  }

  #pointer(event) {
    if (event.button !== 0) return;
    event.preventDefault();
    this.canvas.focus({ preventScroll: true });
    const at = this.#at(event);
    this.cursor = { x: round(at.x), y: round(at.y) };
    const hit = this.#nearest(at);
    if (hit >= 0) {
      const [p] = this.points.splice(hit, 1);
      this.#changed(`Removed a point of class ${p.c}.`);
    } else {
      this.#place(at);
    }
  }

  #place({ x, y }) {
    if (this.points.length >= this.maxPoints) {
      this.#say(`At most ${this.maxPoints.toLocaleString('en-US')} points.`);
      return;
    }
    const p = { x: round(x), y: round(y), c: this.current };
    this.points.push(p);
    this.#changed(`Placed class ${p.c} at (${p.x.toFixed(2)}, ${p.y.toFixed(2)}).`);
  }

  #key(event) {
    const step = event.shiftKey ? STEP * 4 : STEP;
    const move = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] }[event.key];
    if (move) {
      this.cursor = { x: round(this.cursor.x + move[0]), y: round(this.cursor.y + move[1]) };
      this.draw();
      this.#say(`Cursor at (${this.cursor.x.toFixed(2)}, ${this.cursor.y.toFixed(2)}).`);
    } else if (event.key === ' ' || event.key === 'Enter') {
      this.#place(this.cursor);
    } else if (event.key === 'c' || event.key === 'C') {
      this.#select((this.current + 1) % this.classCount);
    } else if (/^[0-9]$/.test(event.key) && Number(event.key) < this.classCount) {
      this.#select(Number(event.key));
    } else if (event.key === 'Delete' || event.key === 'Backspace') {
      const hit = this.#nearest(this.cursor);
      if (hit >= 0) {
        const [p] = this.points.splice(hit, 1);
        this.#changed(`Removed a point of class ${p.c}.`);
      } else {
        this.removeLast();
      }
    } else {
      return;
    }
    event.preventDefault();
  }

  #changed(message) {
    this.draw();
    this.#say(message);
    this.onChange(this.points);
  }

  #say(message) {
    const counts = [...Array(this.classCount)].map((_, c) => this.points.filter((p) => p.c === c).length);
    this.status.textContent = `${message} ${this.points.length} points (${counts.map((n, c) => `class ${c}: ${n}`).join(', ')}).`;
  }

  draw() {
    const size = Math.round(this.canvas.clientWidth || 260);
    const ratio = window.devicePixelRatio || 1;
    if (this.canvas.width !== size * ratio) {
      this.canvas.width = size * ratio;
      this.canvas.height = size * ratio;
    }
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    const px = (v) => ((v + PLANE_EXTENT) / (2 * PLANE_EXTENT)) * size;
    const py = (v) => ((PLANE_EXTENT - v) / (2 * PLANE_EXTENT)) * size;
    ctx.fillStyle = '#fbfbfd';
    ctx.fillRect(0, 0, size, size);
    ctx.strokeStyle = '#d8dbe3';
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(px(0), 0); ctx.lineTo(px(0), size);
    ctx.moveTo(0, py(0)); ctx.lineTo(size, py(0));
    ctx.stroke();
    for (const p of this.points) {
      ctx.beginPath();
      ctx.arc(px(p.x), py(p.y), 5, 0, 2 * Math.PI);
      ctx.fillStyle = colour(p.c);
      ctx.fill();
      ctx.strokeStyle = 'rgba(255, 255, 255, 0.9)';
      ctx.stroke();
    }
    if (this.showCursor) {
      const x = px(this.cursor.x);
      const y = py(this.cursor.y);
      ctx.strokeStyle = colour(this.current);
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(x - 9, y); ctx.lineTo(x + 9, y);
      ctx.moveTo(x, y - 9); ctx.lineTo(x, y + 9);
      ctx.stroke();
    }
  }
}
