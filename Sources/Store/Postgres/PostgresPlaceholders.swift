/// The stores write parameters as SQLite does, `?` for the next and `?N` for the Nth; PostgreSQL numbers them
/// `$N`. Question marks inside quoted strings, quoted identifiers and comments are left alone.
enum PostgresPlaceholders {
    static func rewrite(_ sql: String) -> String {
        var output = ""
        output.reserveCapacity(sql.utf8.count + 8)
        var next = 1
        var quote: Character?
        var lineComment = false
        var characters = sql.makeIterator()
        var pending: Character? = characters.next()
        while let character = pending {
            pending = characters.next()
            if lineComment {
                output.append(character)
                if character == "\n" { lineComment = false }
                continue
            }
            if let open = quote {
                output.append(character)
                if character == open { quote = nil }
                continue
            }
            switch character {
            case "'", "\"":
                quote = character
                output.append(character)
            case "-" where pending == "-":
                lineComment = true
                output.append(character)
            case "?":
                var digits = ""
                while let digit = pending, digit.isASCII, digit.isNumber {
                    digits.append(digit)
                    pending = characters.next()
                }
                if let number = Int(digits) {
                    output += "$\(number)"
                    next = number + 1
                } else {
                    output += "$\(next)"
                    next += 1
                }
            default:
                output.append(character)
            }
        }
        return output
    }
}
