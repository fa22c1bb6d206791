using AffectMae.Core.IO;

namespace AffectMae.Core.Tests.IO;

public sealed class PrintableTextTests
{
    [Fact]
    public void Plain_text_is_returned_unchanged()
    {
        PrintableText.Escape(@"valence,arousal 0.5 C:\data ünïcode 😀").Should().Be(@"valence,arousal 0.5 C:\data ünïcode 😀");
    }

    [Fact]
    public void A_terminal_escape_sequence_is_shown_as_text()
    {
        // ESC [ 3 1 m would turn a terminal red; BEL would ring it.
        PrintableText.Escape("a\u001B[31mb\u0007").Should().Be(@"a\u001B[31mb\u0007");
    }

    [Fact]
    public void Line_breaks_tabs_and_nul_are_escaped()
    {
        PrintableText.Escape("1\r\n2\t3\0").Should().Be(@"1\r\n2\t3\u0000");
    }

    [Fact]
    public void Bidirectional_overrides_separators_c1_controls_and_lone_surrogates_are_escaped()
    {
        // U+202E right-to-left override, U+2028 line separator, U+009B the C1 control sequence introducer, a lone high
        // surrogate, and DEL.
        PrintableText.Escape("x\u202Ey\u2028z\u009B\uD800\u007F").Should().Be(@"x\u202Ey\u2028z\u009B\uD800\u007F");
    }

    [Fact]
    public void A_quotation_is_cut_to_sixty_characters_before_escaping()
    {
        string text = new string('a', 56) + "\u001B" + new string('b', 10);   // 67 characters

        // The first 57 characters (56 'a' and ESC) are kept, then "...".
        PrintableText.Quote(text).Should().Be("\"" + new string('a', 56) + @"\u001B" + "...\"");
        PrintableText.Quote("short\n").Should().Be("\"short\\n\"");
    }
}
