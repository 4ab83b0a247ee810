/// Numbers written as words read as numbers, so `Brigade Forty-Four` is `Brigade 44`, `First` is `1st` and `Three
/// Percenters` is `3 Percenters`: both sides of a match are read the same way, and numbers then compare exactly
/// (`Snow Storm 1` is not `Snow Storm 2`). English cardinals to the thousands, ordinals to the ninetieth, and digits
/// with an ordinal suffix (`21st`).
enum NumberWords {
    static func read(_ words: [String]) -> [String] {
        // Most names have no number word: one set lookup per word (and a digit check) decides that.
        guard words.contains(where: { numberWords.contains($0) || $0.utf8.first.map { (48...57).contains($0) } == true && ordinalDigits($0) != nil })
        else { return words }
        var out: [String] = []
        var index = 0
        while index < words.count {
            if let (value, used) = number(at: index, in: words) {
                out.append(String(value))
                index += used
            } else {
                out.append(words[index])
                index += 1
            }
        }
        return out
    }

    /// What the previous word of a number was, which decides what may follow (`forty four`, not `four forty`).
    private enum Part { case none, unit, ten, hundred, thousand }

    /// The number written from `start` and how many words it took, or nil when no number starts there.
    private static func number(at start: Int, in words: [String]) -> (Int, Int)? {
        if let digits = ordinalDigits(words[start]) { return (digits, 1) }
        var total = 0, group = 0, used = 0
        var last = Part.none
        for word in words[start...] {
            let ordinal = ordinals[word]
            if let value = units[word] ?? ordinal.flatMap({ $0 < 20 ? $0 : nil }),
               last == .none || last == .hundred || last == .thousand || (last == .ten && value < 10) {
                group += value
                last = .unit
            } else if let value = tens[word] ?? ordinal.flatMap({ $0 >= 20 ? $0 : nil }), last == .none || last == .hundred || last == .thousand {
                group += value
                last = .ten
            } else if word == "hundred", last == .unit, group < 10 {
                group *= 100
                last = .hundred
            } else if word == "thousand", last != .none, last != .thousand, total == 0 {
                total = group * 1000
                group = 0
                last = .thousand
            } else if word == "and", last == .hundred || last == .thousand, start + used + 1 < words.count,
                      units[words[start + used + 1]] != nil || tens[words[start + used + 1]] != nil {
                // `one hundred and five`: the `and` belongs to the number.
            } else {
                break
            }
            used += 1
            // An ordinal ends the number (`twenty first` is 21; `first second` is two numbers).
            if ordinal != nil { break }
        }
        return used > 0 ? (total + group, used) : nil
    }

    /// `21st`, `2nd`, `3rd`, `44th` → 21, 2, 3, 44.
    private static func ordinalDigits(_ word: String) -> Int? {
        guard word.count >= 3, ["st", "nd", "rd", "th"].contains(String(word.suffix(2))) else { return nil }
        return Int(word.dropLast(2))
    }

    private static let numberWords = Set(units.keys).union(tens.keys).union(ordinals.keys)

    private static let units: [String: Int] = [
        "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
        "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
        "nineteen": 19,
    ]
    private static let tens: [String: Int] = [
        "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    ]
    private static let ordinals: [String: Int] = [
        "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
        "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17,
        "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60,
        "seventieth": 70, "eightieth": 80, "ninetieth": 90,
    ]
}
