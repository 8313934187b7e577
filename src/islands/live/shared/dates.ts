/** A few dates written the way the page's language writes them (the date task's own formatter). */
export function sampleDates(locale: string): string[] {
  const fmt = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
  return [Date.UTC(2026, 10, 27), Date.UTC(1969, 6, 20), Date.UTC(2000, 0, 1), Date.UTC(1989, 10, 9), Date.UTC(2031, 4, 15)].map((t) => fmt.format(new Date(t)));
}
