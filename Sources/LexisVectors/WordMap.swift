// A labelled 2-D scatter plot as a standalone SVG: the chosen words in bold, their neighbours
// (if any) in grey, each with a line to the word it belongs to.

/// A labelled 2-D scatter plot of words, rendered as a standalone SVG: chosen words in bold,
/// their neighbours in grey with a line to the word they belong to.
///
/// ```swift
/// let map = WordMap(vectors: vectors, words: ["paris", "london", "berlin"], neighbors: 5)
/// let writer = try AtomicFileWriter(path: "map.svg")
/// try writer.write(map.svg)
/// try writer.commit()
/// ```
public struct WordMap: Sendable {
    /// One labelled point.
    public struct Point: Sendable {
        /// The label.
        public var word: String
        /// Horizontal coordinate, in data units (the plot scales to fit).
        public var x: Double
        /// Vertical coordinate, in data units (the plot scales to fit).
        public var y: Double
        /// Nil for a chosen word; for a neighbour, the index of its chosen word's point.
        public var neighborOf: Int?

        /// Creates a point.
        public init(word: String, x: Double, y: Double, neighborOf: Int? = nil) {
            self.word = word
            self.x = x
            self.y = y
            self.neighborOf = neighborOf
        }
    }

    /// The points to draw.
    public var points: [Point]
    /// The title drawn above the plot.
    public var title: String
    /// Canvas width in pixels; 900 by default.
    public var width = 900.0
    /// Canvas height in pixels; 700 by default.
    public var height = 700.0

    /// A map of points you have placed yourself.
    public init(points: [Point], title: String) {
        self.points = points
        self.title = title
    }

    /// Projects the words (and up to `neighbors` neighbours of each) with PCA.
    ///
    /// Words that `vectors` does not contain, and repeated words, are left out.
    ///
    /// - Parameters:
    ///   - vectors: The vectors to plot.
    ///   - words: The chosen words.
    ///   - neighbors: Nearest neighbours to add per chosen word (0 for none).
    ///   - title: The title; nil gives `PCA of N words`.
    public init(vectors: WordVectors, words: [String], neighbors: Int = 0, title: String? = nil) {
        var rows: [(word: String, parent: Int?)] = []
        var seen = Set<String>()
        for word in words where vectors.contains(word) && seen.insert(word).inserted {
            rows.append((word, nil))
        }
        let chosen = rows.count
        if neighbors > 0 {
            for parent in 0..<chosen {
                for neighbor in vectors.neighbors(for: rows[parent].word, maximumCount: neighbors) ?? []
                where seen.insert(neighbor.word).inserted {
                    rows.append((neighbor.word, parent))
                }
            }
        }
        let projected = PCA.project(rows.map { vectors.normalizedVector(for: $0.word)! })
        let points = zip(rows, projected).map { Point(word: $0.0.word, x: $0.1[0], y: $0.1.count > 1 ? $0.1[1] : 0, neighborOf: $0.0.parent) }
        self.init(points: points, title: title ?? "PCA of \(chosen) words")
    }

    /// The plot as a standalone SVG document.
    public var svg: String {
        let margin = 60.0
        let xs = points.map(\.x), ys = points.map(\.y)
        let (minX, maxX) = (xs.min() ?? 0, xs.max() ?? 1), (minY, maxY) = (ys.min() ?? 0, ys.max() ?? 1)
        let spanX = max(maxX - minX, 1e-9), spanY = max(maxY - minY, 1e-9)
        func px(_ x: Double) -> Double { margin + (x - minX) / spanX * (width - 2 * margin) }
        func py(_ y: Double) -> Double { height - margin - (y - minY) / spanY * (height - 2 * margin) }
        func f(_ v: Double) -> String { String(Double(Int((v * 10).rounded())) / 10) }

        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(height))" viewBox="0 0 \(f(width)) \(f(height))" font-family="Helvetica, Arial, sans-serif">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(f(width / 2))" y="28" text-anchor="middle" font-size="18">\(escapeXML(title))</text>
            <text x="\(f(width / 2))" y="\(f(height - 16))" text-anchor="middle" font-size="12" fill="#666">first principal component</text>
            <text x="18" y="\(f(height / 2))" text-anchor="middle" font-size="12" fill="#666" transform="rotate(-90 18 \(f(height / 2)))">second principal component</text>

            """
        for point in points {
            if let parent = point.neighborOf {
                out += "<line x1=\"\(f(px(points[parent].x)))\" y1=\"\(f(py(points[parent].y)))\" x2=\"\(f(px(point.x)))\" y2=\"\(f(py(point.y)))\" stroke=\"#ccc\" stroke-width=\"1\"/>\n"
            }
        }
        // Dots first, then labels placed greedily (chosen words first) where they overlap no label
        // placed before and stay on the canvas.
        for point in points {
            let chosen = point.neighborOf == nil
            out += "<circle cx=\"\(f(px(point.x)))\" cy=\"\(f(py(point.y)))\" r=\"\(chosen ? 5 : 3)\" fill=\"\(chosen ? "#1f4e99" : "#888")\"/>\n"
        }
        var placed: [Box] = []
        let order = points.indices.sorted { (points[$0].neighborOf == nil ? 0 : 1, $0) < (points[$1].neighborOf == nil ? 0 : 1, $1) }
        for index in order {
            let point = points[index]
            let chosen = point.neighborOf == nil
            let size = chosen ? 15.0 : 12.0
            let textWidth = Double(point.word.count) * size * 0.62
            let (x, y) = (px(point.x), py(point.y))
            // (dx, dy) of the text's left baseline corner relative to the dot.
            let candidates: [(Double, Double)] = [(7, 4), (-7 - textWidth, 4), (-textWidth / 2, -8), (-textWidth / 2, size + 6),
                                                  (7, -7), (7, size + 2), (-7 - textWidth, -7), (-7 - textWidth, size + 2)]
            func box(_ c: (Double, Double)) -> Box { Box(x0: x + c.0, y0: y + c.1 - size, x1: x + c.0 + textWidth, y1: y + c.1 + 2) }
            let fits = candidates.first { c in
                let b = box(c)
                return b.x0 >= 0 && b.x1 <= width && b.y0 >= 0 && b.y1 <= height && !placed.contains { $0.overlaps(b) }
            } ?? candidates.first { c in let b = box(c); return b.x0 >= 0 && b.x1 <= width } ?? candidates[0]
            placed.append(box(fits))
            out += "<text x=\"\(f(x + fits.0))\" y=\"\(f(y + fits.1))\" font-size=\"\(Int(size))\"\(chosen ? " font-weight=\"bold\"" : "") fill=\"\(chosen ? "#000" : "#555")\">\(escapeXML(point.word))</text>\n"
        }
        return out + "</svg>\n"
    }
}

/// A label's bounding box in SVG coordinates.
private struct Box {
    var x0, y0, x1, y1: Double
    func overlaps(_ other: Box) -> Bool { x0 < other.x1 && other.x0 < x1 && y0 < other.y1 && other.y0 < y1 }
}

func escapeXML(_ text: String) -> String {
    var out = ""
    for character in text {
        switch character {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        default:
            // Control characters are not allowed in XML 1.0.
            if let ascii = character.asciiValue, ascii < 0x20 { out += " " } else { out.append(character) }
        }
    }
    return out
}
