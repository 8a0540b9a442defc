// Colours are chosen for contrast (WCAG AA against their own background: the browser suite
// checks), and every width can shrink to a 360 px phone: long ids and sentences wrap.
export const PAGE_CSS = `*{box-sizing:border-box}
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#fff}
main{max-width:46rem;margin:0 auto;padding:1rem}
h1{font-size:1.8rem;margin:.5rem 0 1rem}
h2{font-size:1.4rem;margin:2rem 0 .5rem;border-bottom:2px solid #d0d0d8;padding-bottom:.25rem}
h3{font-size:1.2rem;margin:1.5rem 0 .5rem}
h4{font-size:1.05rem;margin:1.25rem 0 .5rem}
p,li,dd,label{overflow-wrap:anywhere}
code{background:#f0f0f3;padding:0 .25rem;overflow-wrap:anywhere}
.row{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
input[type=password],textarea{font:inherit;width:100%;max-width:30rem;padding:.5rem;border:2px solid #555;border-radius:4px}
textarea{max-width:none}
button{font:inherit;padding:.45rem .9rem;border-radius:4px;border:2px solid #1a4d8f;background:#1a4d8f;color:#fff;cursor:pointer}
button.quiet{background:#fff;color:#1a4d8f}
button:focus-visible,input:focus-visible,textarea:focus-visible,a:focus-visible{outline:3px solid #b35900;outline-offset:2px}
.hint{color:#4a4a55;font-size:.9rem}
.problem{background:#fdecec;color:#8a1010;border-left:4px solid #b00020;padding:.5rem .75rem}
.status{color:#1f5130;min-height:1.5em}
.program{border:1px solid #d0d0d8;border-radius:6px;padding:.25rem 1rem 1rem;margin:1rem 0}
.program h3 small{font-weight:normal;color:#4a4a55}
.scale{display:block;margin:.5rem 0;overflow:visible}
.score-line{font-size:1.25rem;margin:.25rem 0}
.not-scored{background:#f3f3f6;border-left:4px solid #4a4a55;padding:.5rem .75rem}
ul.plain{list-style:none;padding:0;margin:0}
.point,.inquiry,.dispute{border-top:1px solid #e0e0e6;padding:.6rem 0}
.point-head{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.25rem .75rem}
.pts{font-weight:bold;white-space:nowrap}
.pts.plus{color:#1f5130}.pts.minus{color:#8a1010}
.track{background:#ececf1;height:.6rem;border-radius:3px;margin:.25rem 0;overflow:hidden}
.bar{height:100%;min-width:2px}
.bar.plus{background:#2e7d4f}.bar.minus{background:#b00020}.bar.zero{background:#8a8a96}
.meta{color:#4a4a55;font-size:.9rem;margin:.25rem 0}
.flag{display:inline-block;background:#fff3d6;color:#5c3d00;border:1px solid #b37a00;border-radius:3px;padding:0 .4rem;font-weight:bold}
.disputed{background:#fff8e6;color:#3d2a00;border-left:4px solid #b37a00;padding:.4rem .6rem;margin:.25rem 0}
.policy-yes{color:#1f5130}.policy-no{color:#4a4a55}
dialog{max-width:min(32rem,calc(100vw - 2rem));border:2px solid #1a4d8f;border-radius:6px;padding:1rem}
dialog::backdrop{background:rgba(0,0,0,.45)}
dialog h2{margin-top:0}
`;
