import ListFormats

/// A rule that forbids buying from a party, as distinct from sanctions (which forbid dealing) and export controls
/// (which need a licence to send goods): whether it binds a buyer depends on who buys (`PolicyProfile`). Each regime
/// is found by the program its entries carry on the built-in lists (`BuiltInLists/Data`), and says what it forbids
/// and for whom in the statute's and the regulation's words.
public enum ProcurementRegime: String, Codable, Sendable, CaseIterable {
    /// NDAA FY2019 section 889: Huawei, ZTE, Hytera, Hikvision, Dahua, and their subsidiaries and affiliates.
    case section889 = "ndaa-889"
    /// NDAA FY2018 section 1634: Kaspersky Lab's products, and its successors, parents, subsidiaries and affiliates.
    case section1634 = "ndaa-1634"
    /// The FCC Covered List under the Secure and Trusted Communications Networks Act: federal subsidies may not buy
    /// the covered equipment and services.
    case fccCovered = "fcc-covered"
    /// The DoD section 1260H list of Chinese military companies, which NDAA FY2024 section 805 bars from DoD contracts.
    case section1260H = "dod-1260h"
    /// A company the 1260H list names only as a listed company's parent.
    case section1260HParent = "dod-1260h-parent"

    /// The program its entries carry on the built-in lists.
    var program: String {
        switch self {
        case .section889: "NDAA FY2019 s.889 covered entity"
        case .section1634: "NDAA FY2018 s.1634 (Kaspersky)"
        case .fccCovered: "FCC Covered List (Secure Networks Act)"
        case .section1260H: "DoD 1260H Chinese military company"
        case .section1260HParent: "DoD 1260H parent (not itself listed)"
        }
    }

    /// What it forbids and for whom.
    public var consequence: String {
        switch self {
        case .section889:
            "US federal procurement and contractor use prohibited (NDAA FY2019 s.889; FAR 52.204-25): covered telecommunications and video surveillance equipment and services"
        case .section1634: "US federal procurement and contractor use of Kaspersky Lab products prohibited (NDAA FY2018 s.1634; FAR 52.204-23)"
        case .fccCovered:
            "FCC Covered List: Universal Service Fund support may not buy or maintain the covered equipment or services, and no new equipment authorisation is granted (Secure Networks Act; 47 CFR 54.9, 2.903)"
        case .section1260H:
            "DoD contracting prohibited from 30 June 2026 (NDAA FY2024 s.805); indirect contracting from 30 June 2027: a 1260H Chinese military company"
        case .section1260HParent:
            "Not itself on the 1260H list: named as the parent of a listed Chinese military company (NDAA FY2024 s.805 reaches entities it controls); review the relationship"
        }
    }

    /// What a party listed under it is, in a sentence about a related party.
    var partyDescription: String {
        switch self {
        case .section889: "a section 889 covered entity"
        case .section1634: "a section 1634 covered entity (Kaspersky)"
        case .fccCovered: "a provider on the FCC Covered List"
        case .section1260H: "a 1260H Chinese military company"
        case .section1260HParent: "named on the 1260H list only as a parent"
        }
    }

    /// The statute reaches the listed party's subsidiaries and affiliates, so a match related to such a party takes
    /// the regime through the relation.
    var coversAffiliates: Bool { self == .section889 || self == .section1634 }

    /// The regimes an entry is listed under.
    static func of(_ entry: ListEntry) -> [ProcurementRegime] {
        allCases.filter { entry.programs.contains($0.program) }
    }
}

/// Who buys: which procurement regimes block and which are a review. Sanctions and export controls are the
/// policy's rules and do not change with the profile.
public enum PolicyProfile: String, Codable, Sendable, CaseIterable {
    /// A buyer no procurement ban binds: every ban is a review, its consequence named (the cautious default).
    case commercial
    /// A US federal contractor: section 889 and the Kaspersky ban block (FAR 52.204-25, 52.204-23).
    case usFederalContractor = "us-federal-contractor"
    /// A DoD supplier: the federal contractor's bans, and the 1260H list (NDAA FY2024 s.805).
    case dodSupplier = "dod-supplier"

    public func outcome(_ regime: ProcurementRegime) -> Outcome {
        switch (self, regime) {
        case (.usFederalContractor, .section889), (.usFederalContractor, .section1634): .block
        case (.dodSupplier, .section889), (.dodSupplier, .section1634), (.dodSupplier, .section1260H): .block
        default: .review
        }
    }
}
