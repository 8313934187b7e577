/**
 * Which tokens the masked-word task may hide: content words (nouns, verbs, adjectives, names),
 * not punctuation, symbols, numbers or the short function words every sentence is full of
 * ("the", "de", "的", "の"). A tiny model that is asked for those learns them first and little
 * else; asked only for content words, it has to read the sentence.
 *
 * Function words are the language's own closed classes (articles, prepositions, conjunctions,
 * pronouns, auxiliaries, particles), listed per language below as the word segmenter cuts them
 * (lower case). Japanese needs no list: a token written only in hiragana is a particle, an
 * ending or an auxiliary (の, を, ます, した), and a lone kana is a piece the segmenter cut off.
 * A language without a list here hides every word (anything with a letter) instead.
 */

const FUNCTION_WORDS: Record<string, string> = {
  en: `a an the this that these those it its it’s they them their there here we us our you your he she his her i me my
    of to in on at by for from with into onto over under about as than then so such both each every either neither
    and or but nor if when while because since though although whether which who whom whose what where how why
    is are was were be been being am do does did has have had having can could will would shall should may might must
    not no yes also only just very more most much many some any all other another same own too again once one
    up down out off through between among before after during without within along across upon per via
    let lets s t`,
  pt: `o a os as um uma uns umas de do da dos das em no na nos nas num numa ao à aos às pelo pela pelos pelas por para
    com sem sob sobre entre até após desde contra perante e ou mas nem que se como quando onde porque pois porém
    também já ainda só mais menos muito muita muitos muitas pouco tão bem não sim isso isto aquilo esse essa esses essas
    este esta estes estas aquele aquela aqueles aquelas ele ela eles elas lhe lhes seu sua seus suas nosso nossa
    nossos nossas meu minha eu nós você vocês se si me te nos vos quem qual quais cujo cuja é são era eram foi
    foram ser sido sendo está estão estava estar tem têm tinha ter há havia pode podem cada todo toda todos todas
    outro outra outros outras mesmo mesma mesmos mesmas dele dela deles delas nele nela neste nesta nesse nessa
    deste desta desse dessa daquele daquela aqui ali lá então assim`,
  es: `el la los las lo un una unos unas de del en al a con sin sobre entre hasta desde hacia para por según tras
    contra ante bajo y e o u ni pero sino que si como cuando donde porque pues aunque también ya aún solo sólo
    más menos muy mucho mucha muchos muchas poco tan bien no sí esto eso aquello este esta estos estas ese esa
    esos esas aquel aquella aquellos aquellas él ella ellos ellas le les se su sus nuestro nuestra nuestros
    nuestras mi mis yo nosotros nos me te os quien quienes cual cuales cuyo cuya es son era eran fue fueron ser
    sido siendo está están estaba estar ha han había haber hay tiene tienen tener puede pueden cada todo toda
    todos todas otro otra otros otras mismo misma mismos mismas aquí allí así entonces qué cómo cuál`,
  fr: `le la les l un une des de du d au aux à en dans sur sous par pour avec sans entre vers chez depuis pendant
    avant après contre et ou mais ni que qu qui quoi dont où si comme quand lorsque puisque car donc aussi
    encore déjà seulement plus moins très beaucoup peu tant bien ne pas non oui ce cet cette ces ça cela ceci
    celui celle ceux celles il elle ils elles on lui leur leurs se sa son ses notre nos votre vos mon ma mes je
    nous vous me te y est sont était étaient fut être été a ont avait avoir peut peuvent chaque tout toute tous
    toutes autre autres même mêmes ici là ainsi alors c’est qu’il qu’elle qu’on l’on l’un l’une l’autre d’un
    d’une n’est s’il`,
  de: `der die das den dem des ein eine einer eines einem einen und oder aber doch sondern denn weil wenn als ob
    dass daß wie wo was wer wen wem wessen welche welcher welches welchen welchem in im ins an am ans auf aus bei
    beim mit nach von vom zu zum zur für durch gegen ohne um über unter vor hinter neben zwischen seit bis
    ist sind war waren sein gewesen wird werden wurde wurden hat haben hatte hatten kann können muss müssen
    soll sollen will wollen darf dürfen mag nicht kein keine keinen keinem keiner nur auch noch schon sehr
    mehr viel viele so es er sie wir ihr ich du ihn ihm ihnen ihre ihren ihrem ihres ihrer sein seine seinen
    seinem seiner seines unser unsere man sich uns euch mich dich dies diese dieser dieses diesen diesem jede
    jeder jedes jeden jedem alle allen aller alles andere anderen anderer anderes dann also hier da dort`,
  ar: `في من إلى على عن مع بين حتى منذ عند لدى نحو خلال قبل بعد حول دون ضد و أو ثم بل لكن لكنّ أن أنّ إن إنّ
    كان كانت يكون تكون ليس لا لم لن ما ماذا متى أين كيف لماذا هل قد لقد هذا هذه هذان هاتان هؤلاء ذلك تلك
    أولئك الذي التي الذين اللذان اللتان اللواتي هو هي هم هن هما أنا نحن أنت أنتم كل بعض غير أي أيّ كما
    حيث إذ إذا لو لأن لأنّ فقط أيضا أيضًا جدا جدًا به بها بهم له لها لهم فيه فيها منه منها عليه عليها إليه
    إليها عنه عنها معه ذو ذات وهو وهي وهذا وهذه لكل مثل عبر منها منه`,
  zh: `的 了 着 过 地 得 之 是 在 有 和 与 及 或 而 并 且 但 但是 因为 所以 如果 虽然 就 都 也 还 又 再 才 只 很 更
    最 太 不 没 没有 这 那 这个 那个 这些 那些 这种 那种 这样 那样 其 其中 它 它们 他 他们 她 我 我们 你 你们
    一个 一种 个 些 每 各 把 被 对 向 从 到 于 以 为 为了 由 让 使 给 比 跟 将 会 能 可 可以 要 该 中 上 下 里
    内 外 等 即 则 吗 呢 吧 啊 所 什么 怎么 如何 哪 谁 便 就是 还是 也是 都是 中的 一 本 时 之间`,
};

const sets = new Map<string, Set<string> | null>();

function functionWords(locale: string): Set<string> | null {
  const lang = locale.toLowerCase().split('-')[0]!;
  let set = sets.get(lang);
  if (set === undefined) {
    const list = FUNCTION_WORDS[lang];
    set = list ? new Set(list.split(/\s+/).filter(Boolean)) : null;
    sets.set(lang, set);
  }
  return set;
}

const LETTER = /\p{L}/u;
const KANA_ONLY = /^[\p{Script=Hiragana}\p{Script=Katakana}ー]+$/u;
const HIRAGANA_ONLY = /^[\p{Script=Hiragana}ー]+$/u;

/**
 * True for a token (as `wordTokens` writes it: lower case, one segment) that the masked-word task
 * may hide: it has a letter (so punctuation, symbols and numbers never), and it is not one of
 * the language's function words.
 */
export function isContentWord(token: string, locale: string): boolean {
  if (!LETTER.test(token)) return false;
  if (locale.toLowerCase().startsWith('ja')) {
    return !HIRAGANA_ONLY.test(token) && !(KANA_ONLY.test(token) && [...token].length === 1);
  }
  const set = functionWords(locale);
  return !set?.has(token);
}
