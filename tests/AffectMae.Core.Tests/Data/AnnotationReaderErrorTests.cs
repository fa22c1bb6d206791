using AffectMae.Core.Data;
using AffectMae.Core.Tests.IO;
using AffectMae.Testing;

namespace AffectMae.Core.Tests.Data;

public sealed class AnnotationReaderErrorTests : IDisposable
{
    private const string AuHeader = "AU1,AU2,AU4,AU6,AU7,AU10,AU12,AU15,AU23,AU24,AU25,AU26";
    private const string ExprHeader = "Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise,Other";

    private readonly TempAbawRoot temp = new();

    public void Dispose() => temp.Dispose();

    /// <summary>Reads the file with <paramref name="read"/> and returns the exception, checking its path and line.</summary>
    private AnnotationFormatException Fails(Func<string, VideoAnnotation> read, string text, int line, string? existing = null)
    {
        string path = existing ?? temp.WriteText("bad.txt", text);
        var error = FluentActions.Invoking(() => read(path)).Should().Throw<AnnotationFormatException>().Which;
        error.FilePath.Should().Be(path);
        error.LineNumber.Should().Be(line);
        error.Message.Should().StartWith($"{path}, line {line}: expected ");
        return error;
    }

    [Fact]
    public void A_wrong_valence_arousal_header_fails_on_line_one()
    {
        var error = Fails(AnnotationReader.ReadValenceArousal, "valence;arousal\n0,0\n", line: 1);

        error.Message.Should().EndWith("line 1: expected the header \"valence,arousal\", got \"valence;arousal\".");
    }

    [Fact]
    public void An_expression_header_in_an_action_unit_file_fails_on_line_one()
    {
        var error = Fails(AnnotationReader.ReadActionUnits, ExprHeader + "\n0\n", line: 1);

        error.Expected.Should().Be($"the header \"{AuHeader}\"");
    }

    [Fact]
    public void An_empty_file_fails_on_line_one_expecting_the_header()
    {
        var error = Fails(AnnotationReader.ReadExpression, "", line: 1);

        error.Message.Should().EndWith($"expected the header \"{ExprHeader}\", got the end of the file (the file is empty).");
    }

    [Fact]
    public void Three_values_on_a_valence_arousal_line_fail_naming_the_field_count()
    {
        // Header is line 1, frames 1 and 2 are lines 2 and 3.
        var error = Fails(AnnotationReader.ReadValenceArousal, "valence,arousal\n0.1,0.2\n0.1,0.2,0.3\n", line: 3);

        error.Message.Should().EndWith("expected 2 comma-separated values (valence,arousal), got 3 values: \"0.1,0.2,0.3\".");
    }

    [Fact]
    public void A_non_numeric_arousal_fails_naming_the_dimension()
    {
        var error = Fails(AnnotationReader.ReadValenceArousal, "valence,arousal\r\n0.1,abc\r\n", line: 2);

        error.Message.Should().EndWith("expected a number for arousal, got \"abc\".");
    }

    [Fact]
    public void A_nan_valence_fails_as_not_a_number()
    {
        var error = Fails(AnnotationReader.ReadValenceArousal, "valence,arousal\nNaN,0\n", line: 2);

        error.Expected.Should().Be("a number for valence");
    }

    [Fact]
    public void A_valence_above_one_fails_as_out_of_range()
    {
        // -5 on line 2 is the unlabelled marker and fine; 1.5 on line 3 is neither a label nor a marker.
        var error = Fails(AnnotationReader.ReadValenceArousal, "valence,arousal\n-5,-5\n1.5,0\n", line: 3);

        error.Message.Should().EndWith("expected valence in [-1, 1], or below -1 for an unlabelled frame, got \"1.5\".");
    }

    [Fact]
    public void An_expression_class_of_eight_fails_as_out_of_range()
    {
        var error = Fails(AnnotationReader.ReadExpression, ExprHeader + "\n7\n-1\n8\n", line: 4);

        error.Message.Should().EndWith("expected a class index 0..7 or -1 (unlabelled), got \"8\".");
    }

    [Fact]
    public void A_decimal_expression_label_fails_as_not_a_class_index()
    {
        Fails(AnnotationReader.ReadExpression, ExprHeader + "\n2.0\n", line: 2)
            .Expected.Should().Be("a class index 0..7 or -1 (unlabelled)");
    }

    [Fact]
    public void Two_values_on_an_expression_line_fail_naming_the_field_count()
    {
        Fails(AnnotationReader.ReadExpression, ExprHeader + "\n1,2\n", line: 2)
            .Message.Should().EndWith("expected 1 value, a class index 0..7 or -1 (unlabelled), got 2 values: \"1,2\".");
    }

    [Fact]
    public void An_action_unit_value_of_two_fails_naming_the_action_unit()
    {
        // Third column is AU4.
        var error = Fails(AnnotationReader.ReadActionUnits, AuHeader + "\n0,0,2,0,0,0,0,0,0,0,0,0\n", line: 2);

        error.Message.Should().EndWith("expected AU4 to be 0, 1 or -1 (unlabelled), got \"2\".");
    }

    [Fact]
    public void Eleven_action_unit_values_fail_naming_the_field_count()
    {
        var error = Fails(AnnotationReader.ReadActionUnits, AuHeader + "\n0,0,0,0,0,0,0,0,0,0,0,0\n0,0,0,0,0,0,0,0,0,0,0\n", line: 3);

        error.Message.Should().EndWith($"expected 12 comma-separated values ({AuHeader}) or -1 (unlabelled), got 11 values: \"0,0,0,0,0,0,0,0,0,0,0\".");
    }

    [Fact]
    public void A_blank_line_between_frames_fails_at_the_blank_line()
    {
        // Lines: 1 header, 2 frame, 3 blank, 4 frame. Skipping line 3 would shift frame 3 onto image 00002.jpg.
        var error = Fails(AnnotationReader.ReadExpression, ExprHeader + "\n1\n\n2\n", line: 3);

        error.Message.Should().EndWith("expected a data line (blank lines are allowed only at the end of the file), got an empty line.");
    }

    [Fact]
    public void A_file_holding_only_the_header_fails_on_line_two()
    {
        // A header and blank lines: no frame at all, which would make a video of zero frames downstream.
        var error = Fails(AnnotationReader.ReadValenceArousal, "valence,arousal\n\n", line: 2);

        error.Message.Should().EndWith("line 2: expected a data line for frame 1, got the end of the file (the file holds only the header).");
    }

    [Fact]
    public void A_line_longer_than_the_cap_fails_saying_how_to_raise_the_cap()
    {
        // The header holds 54 characters, line 2 holds 23 (12 zeros, 11 commas) and line 3 the same after 40 spaces: 63.
        string text = AuHeader + "\n0,0,0,0,0,0,0,0,0,0,0,0\n" + new string(' ', 40) + "0,0,0,0,0,0,0,0,0,0,0,0\n";
        string path = temp.WriteText("long.txt", text);

        var read = () => AnnotationReader.ReadActionUnits(path, maxLineLength: 63);
        var error = FluentActions.Invoking(() => AnnotationReader.ReadActionUnits(path, maxLineLength: 62)).Should().Throw<AnnotationFormatException>().Which;

        error.LineNumber.Should().Be(3);
        error.Message.Should().Be($"{path}, line 3: expected a line of at most 62 characters, got a longer line; if the file is genuine, "
            + "raise the cap (AbawLayout.MaxAnnotationLineLength, or the maxLineLength argument of AnnotationReader).");
        read().FrameCount.Should().Be(2);
    }

    [Fact]
    public void A_file_without_line_breaks_fails_on_its_first_line_at_the_default_cap()
    {
        // A million NUL characters with no line break, as a copy of /dev/zero would give: the reader stops after
        // 4096 characters instead of reading the whole file as one line.
        string path = Path.Combine(temp.Root, "zeros.txt");
        File.WriteAllBytes(path, new byte[1_000_000]);

        Fails(_ => AnnotationReader.ReadExpression(path), "", line: 1, path).Expected.Should().Be("a line of at most 4096 characters");
    }

    [Fact]
    public void Control_characters_from_the_file_are_escaped_in_the_message()
    {
        // ESC [ 2 J would clear the terminal that shows the error.
        var error = Fails(AnnotationReader.ReadExpression, ExprHeader + "\n\u001B[2J\n", line: 2);

        error.Message.Should().EndWith(@"got ""\u001B[2J"".").And.NotContain("\u001B");
    }

    [Fact]
    public void An_annotation_path_that_is_a_folder_is_refused_naming_it()
    {
        string path = Path.Combine(temp.Root, "v.txt");
        Directory.CreateDirectory(path);

        FluentActions.Invoking(() => AnnotationReader.ReadExpression(path)).Should().Throw<IOException>()
            .WithMessage($"Annotation file '{path}' is a folder, not a regular file*");
    }

    [Fact]
    public void An_annotation_path_that_is_a_fifo_is_refused_without_blocking()
    {
        string path = Path.Combine(temp.Root, "pipe.txt");
        if (!RegularFileTests.TryMakeFifo(path)) return;   // no FIFOs on this platform

        TimeLimit.Run(TimeSpan.FromSeconds(10), () => AnnotationReader.ReadExpression(path))
            .Should().BeOfType<IOException>().Which.Message.Should().Contain("is a FIFO (named pipe), not a regular file");
    }

    [Fact]
    public void A_missing_file_throws_file_not_found()
    {
        FluentActions.Invoking(() => AnnotationReader.ReadValenceArousal(Path.Combine(temp.Root, "none.txt")))
            .Should().Throw<FileNotFoundException>();
    }
}
