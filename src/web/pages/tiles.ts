/** The tile of a picture with no thumbnail: its type and why, instead of a blank. */
export function brokenTile(reason: string, type: string): string {
  const esc = (s: string) => s.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="250" height="250" viewBox="0 0 250 250">
<rect width="250" height="250" fill="#eceae6"/>
<path d="M95 92h60v46H95z" fill="none" stroke="#a29c93" stroke-width="4"/><path d="M101 132l16-18 12 12 9-8 11 14" fill="none" stroke="#a29c93" stroke-width="4"/>
<path d="M90 150l70-70" stroke="#c0504d" stroke-width="5"/>
<text x="125" y="178" font-family="sans-serif" font-size="20" font-weight="bold" fill="#5b554d" text-anchor="middle">${esc(type.toUpperCase())}</text>
<text x="125" y="204" font-family="'Noto Sans CJK SC','Microsoft YaHei','PingFang SC',sans-serif" font-size="15" fill="#5b554d" text-anchor="middle">${esc(reason)}</text>
</svg>`;
}
