import Testing
import LexisText

@Suite struct FormattingTests {
    @Test func fixedDigits() {
        #expect(formatFixed(3.14159, 2) == "3.14")
        #expect(formatFixed(-0.005, 2) == "-0.01")
        #expect(formatFixed(-0.004, 2) == "0.00")
        #expect(formatFixed(2.5, 0) == "3")
        #expect(formatFixed(1.05, 3) == "1.050")
    }

    /// A diverging loss reaches 1e+20 and more: printed as Swift prints it, never a crash.
    @Test func hugeAndNonFiniteValues() {
        #expect(formatFixed(299_762_808_026_000_000_000.0, 4) == "\(299_762_808_026_000_000_000.0)")
        #expect(formatFixed(-1e300, 2) == "\(-1e300)")
        #expect(formatFixed(.infinity, 3) == "inf")
        #expect(formatFixed(.nan, 3) == "nan")
        #expect(formatFixed(123_456_789.0, 2) == "123456789.00")
    }
}
