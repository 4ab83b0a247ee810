/// The weights and thresholds that turn what the engine knows about a candidate into a score and a decision, in one
/// place, each with why it has its value. All are set by hand, against the development sets and the real supplier
/// base (docs/matching.md has the figures); none is fitted yet. A change here changes decisions: bump
/// `ScreeningEngine.version` with it. (The name-alignment rules in `Matcher` and `PreparedQuery` keep their own
/// constants beside the rule each belongs to.)
public enum ScoringModel {
    // MARK: Word rarity

    /// A legal form neither creates nor hides a match.
    static let legalFormWeight: Float = 0
    /// Particles (of, de, al, bin) tie a name together and tell little.
    static let particleWeight: Float = 0.1
    /// The least a word weighs however common it is in the lists: a word in a thousand names still narrows a name.
    static let minimumRarity = 0.08
    /// What a generic business word (group, trading, international, bank) weighs at most: common everywhere but rare
    /// in sanctions lists, so list rarity would overrate it.
    static let genericWordCap: Float = 0.25

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
