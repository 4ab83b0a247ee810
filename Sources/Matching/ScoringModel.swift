/// The weights and thresholds that turn what the engine knows about a candidate into a score and a decision, in one
/// place, each with why it has its value: how closely a query word matches a listed word by how it matched, what a
/// word weighs, how a name's coverage is relieved of words one record carries and the other leaves out, the evidence
/// beyond the name, and what a block needs. All are set by hand, against the development sets and the real supplier
/// base, with a part of each held back (docs/matching.md has the figures); `scripts/eval/all.sh` measures a change.
/// A change here changes decisions: bump `ScreeningEngine.version` with it. (Search budgets, how many candidates and
/// variants are looked at, stay beside the search they bound: they decide what is found, not what a finding weighs.)
public enum ScoringModel {
    // MARK: How closely a query word matches a listed word, by how it matched (`MatchHow`; exact is 1)

    /// Two query words joined, or one split, into listed words (`inter national`, `uralva gonzavod`): the same
    /// letters, a space apart.
    static let joinedOrSplit = 0.95
    /// Equal transliteration forms (`Mokhammad`/`Mohammad`), by length: short words fold together by chance
    /// (`EQT`/`EKT`, `Kone`/`Cone`), so they count for less.
    static func transliterationForm(letters: Int) -> Double { letters >= 7 ? 0.9 : letters >= 5 ? 0.85 : 0.75 }
    /// Taken off a typo that changes the first letter: typing rarely does, and different names often differ only
    /// there (`Hernandez`/`Fernandez`, `Harris`/`Parris`), unless transliteration swaps it (`Crisol`/`Krisol`).
    static let firstLetterChanged = 0.1
    /// Taken off a typo measured between folded spellings: one edit apart once conventions are folded
    /// (`Okaan`/`Ocean`) is a little less than one edit as typed.
    static let foldedTypoDiscount = 0.05
    /// A consonant skeleton shared with a word transliterated from an unvowelled script (Arabic): the vowels are
    /// the transliterator's guess.
    static let unvowelledSkeleton = 0.8
    /// A Latin word sharing a consonant skeleton and first sound: 0.86 less 0.04 per edit, never under 0.7.
    static func sharedSkeleton(edits: Int) -> Double { max(0.7, 0.86 - 0.04 * Double(edits)) }
    /// Spellings the lists record as one entity's (`Yury`/`Yuriy`): near-certain, but learnt, not written.
    static let learntVariant = 0.9
    /// An ending the lists add to a name (`Ghodrat`/`Ghodratollah`), or a stem they share.
    static let learntEnding = 0.85
    /// A given name's short form (`Ted`/`Theodore`, `Peggy`/`Margaret`).
    static let nickname = 0.9
    /// A known abbreviation (`intl`/`international`).
    static let abbreviation = 0.9
    /// A word cut short (`Constr`): one of the words it may begin.
    static let prefix = 0.8
    /// Another form of the same word (`Administration`/`Administrative`, `Petrochemical`/`Petrochemicals`).
    static let wordForm = 0.8
    /// An initial for a word (`E` for `Ehsan`), or initials for as many consecutive words (`JC` for `Jean Claude`):
    /// consistent with the name, not proof of it.
    static let initial = 0.75
    /// A word matched at least this closely is matched "closely" by the rules that need a word to anchor a name.
    static let closeMatch = 0.9

    // MARK: What a word weighs (its rarity in the lists, 0 to 1)

    /// A legal form neither creates nor hides a match.
    static let legalFormWeight = 0.0
    /// Particles (of, de, al, bin) tie a name together and tell little.
    static let particleWeight = 0.1
    /// A single letter: an initial, which narrows a name as little as a generic word.
    static let singleLetterWeight = 0.25
    /// A word no list has is distinctive (unless it is a generic business or place word).
    static let unknownWordWeight = 0.9
    /// The least a word weighs however common it is in the lists: a word in a thousand names still narrows a name.
    static let minimumRarity = 0.08
    /// What a generic business word (group, trading, international, bank) weighs at most: common everywhere but rare
    /// in sanctions lists, so list rarity would overrate it.
    static let genericWordCap = 0.25
    /// A word tells something of a name from this weight (initials from it are read as initials).
    static let informativeWord = 0.2
    /// A word is distinctive from this weight, generic below it (`national`, `trading`).
    static let distinctiveWord = 0.3
    /// A word rare enough to find candidate names by; words under `findingWordCommon` then only rank what it found.
    static let findingWord = 0.5
    static let findingWordCommon = 0.3
    /// A rare word: matched closely, it anchors the rules that relieve a name of added words.
    static let rareWord = 0.6

    // MARK: Coverage (the score is the harmonic mean of the matched share of each side's weight)

    /// The share of a query's weight a listed name must reach among the words found to be scored at all.
    static let candidateShare = 0.25
    /// Taken off a side's weight, per word one record of a person carries and the other leaves out (given names,
    /// a patronymic, a second surname): such words count for half.
    static let personLeftoverRelief = 0.5
    /// Taken off a listed organisation's weight per place it names and the query lacks (`... in Arabia`).
    static let listedPlaceRelief = 0.5
    /// Taken off a query's weight per place in front of a listed name it contains (`Zhejiang Dahua Technology` for
    /// `Dahua Technology`), and per other added word of an organisation's registered name.
    static let registeredPlaceRelief = 0.8
    static let registeredAddedWordRelief = 0.5
    /// The share of the score taken off a Latin name matched through a transliteration of Chinese, Japanese or
    /// Korean script (syllables many names share); more for two syllables (`陈东`, Chen Dong), shared by very many.
    static let cjkDiscount = 0.1
    static let cjkTwoSyllableDiscount = 0.25

    // MARK: Evidence beyond the name (each added to the name's score, and shown as `evidence`)

    /// The caller's country is among the entry's: weak support (entries list addresses, not every country).
    static let countryAgrees = 0.03
    /// The entry names other countries only: weak evidence against, and enough to withhold a block.
    static let countryConflicts = -0.05
    /// The same date of birth: support, and enough to block a name at the block threshold less `birthDateRelief`.
    static let sameBirthDate = 0.05
    /// Years of birth more than one apart: two people, most likely.
    static let birthYearsConflict = -0.15
    /// The caller's address shares a place with the entry's.
    static let addressPlaceShared = 0.03
    /// A type that cannot be the entry's (a person against a company): lowered, not hidden.
    static let typeConflicts = -0.12
    /// A strong identifier lifts the match to at least this, whatever the name, and by at least `identifierLift`.
    static let strongIdentifierFloor = 0.95
    static let identifierLift = 0.3
    /// A weak identifier (a ticker, a phone number) only supports a name.
    static let weakIdentifierSupport = 0.03

    // MARK: What a block needs (`ScreeningEngine.blockWithheld`)

    /// How far under the block threshold a name may score when the date of birth matches (a patronymic left out).
    public static let birthDateRelief = 0.1
    /// The summed rarity of the matched words that makes a person's name distinctive on its own, and the rarity of
    /// one word that, with `rareWordShare` of that sum, does too. Measured on the full shared lists: `Mohammed Ali`
    /// 0.79, `Zhang Wei` 1.30, `Sergei Ivanov` 1.34 (each an exact alias of someone listed); `Viktor Bout` 1.55 with
    /// `bout` at 0.94; `Joaquin Guzman Loera` 2.19; `Emiro del Carmen Ropero Suarez` 3.63.
    public static let distinctivePersonWeight = 2.2
    public static let rareWordWeight = 0.9
    public static let rareWordShare = 0.64
    /// An organisation's name, exact word for word, is distinctive with one word that is not generic, or two that
    /// are (`New Shipping Co.` weighs 0.5): one generic word and a legal form (`Trading Company`, 0.25) point at no one.
    public static let distinctiveOrganisationWeight = 0.5
}
