import { describe, expect, it } from 'vitest';
import { cleanParagraph, isCaption } from '../../src/summarize/clean-news.js';
import { leadText, summarizeText } from '../../src/summarize/summarize.js';

// Handwritten in the style of raw CNN/DailyMail story files (none of our sets is raw).
const LEDE = 'A bakery in Little Hatton has baked a loaf three metres long to raise money for the local hospice.';
const DAILY_MAIL = [
  'By . Daily Mail Reporter . PUBLISHED: . 07:39 EST, 11 March 2013 . | . UPDATED: . 07:56 EST, 11 March 2013 . ' +
    LEDE,
  'Proud: Head baker Tom Reed with the record loaf outside the shop on Saturday',
  'Scroll down for video .',
  'The loaf took eleven hours to bake in a borrowed brick oven and was cut into 400 slices for customers.',
  'Mr Reed said the shop had raised more than 2,000 pounds in a single afternoon. ' +
    '"We never expected a queue round the block," he said.',
  'The hospice said the money would pay for two night nurses for a month.',
].join('\n\n');

const CNN = [
  'LONDON, England (CNN) -- A museum in London has returned a carved wooden mask to the village it came from.',
  'The mask was handed over at a ceremony attended by elders and the museum director on Thursday.',
  'Historians had traced its origin through letters kept in the museum archive for decades.',
  'The director said other objects would be reviewed in the coming year.',
].join('\n\n');

describe('raw news furniture', () => {
  it('strips the Daily Mail byline and time stamps, keeping the lede', () => {
    expect(cleanParagraph(DAILY_MAIL.split('\n\n')[0]!, true)).toBe(LEDE);
  });

  it('strips "(CNN) --" datelines, cased or lower-cased', () => {
    expect(cleanParagraph('WASHINGTON (CNN) -- The vote passed.', true)).toBe('The vote passed.');
    expect(cleanParagraph('(CNN)The vote passed.', true)).toBe('The vote passed.');
    expect(cleanParagraph('( cnn ) -- the vote passed .', true)).toBe('the vote passed .');
    expect(cleanParagraph('The vote (CNN) passed.', true)).toBe('The vote (CNN) passed.');
  });

  it('knows a caption from speech', () => {
    expect(isCaption('Proud: Head baker Tom Reed with the record loaf outside the shop')).toBe(true);
    expect(isCaption('He said: "We never expected a queue."')).toBe(false);
    expect(isCaption('Warning: The road is closed.')).toBe(false);
  });

  it('summarises a raw Daily Mail article from its prose only, lede first', () => {
    const summary = summarizeText(DAILY_MAIL).sentences;
    expect(summary[0]).toBe(LEDE);
    const text = summary.join(' ');
    for (const furniture of ['PUBLISHED', 'UPDATED', 'By .', 'Scroll down', 'Proud:']) {
      expect(text).not.toContain(furniture);
    }
    expect(leadText(DAILY_MAIL).sentences.join(' ')).not.toContain('PUBLISHED');
  });

  it('summarises a raw CNN article without its dateline', () => {
    const summary = summarizeText(CNN).sentences;
    expect(summary).toHaveLength(3);
    expect(summary[0]).toBe('A museum in London has returned a carved wooden mask to the village it came from.');
  });

  it('drops a caption line inside a hard-wrapped block but keeps wrapped prose', () => {
    const block = [
      'The 23-year-old had trained for the marathon',
      'for a whole year.',
      'Tragic: Anna Vale was a keen runner',
      'She finished in four hours.',
    ].join('\n');
    expect(summarizeText(block).sentences).toEqual([
      'The 23-year-old had trained for the marathon for a whole year.',
      'She finished in four hours.',
    ]);
  });
});
