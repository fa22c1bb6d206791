using AffectMae.Core.Data;

namespace AffectMae.Core.Tests.Data;

public sealed class AnnotationRoundTripTests : IDisposable
{
    private readonly TempAbawRoot temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Valence_arousal_written_then_read_is_equal_including_unlabelled_and_awkward_floats()
    {
        // 1/3 and 1e-5 need the shortest round-trip form; -5 is the unlabelled marker and must come back as -5.
        var written = ValenceArousalAnnotation.FromColumns(
            "2-30-640x360", [0.5f, -1f, 1f / 3, 1e-5f, -5f], [-0.25f, 1f, -2f / 3, 0f, -5f]);

        temp.Layout.WriteAnnotation(AbawSplit.Train, written);
        var read = temp.Layout.ReadAnnotations<ValenceArousalAnnotation>(AffectTask.ValenceArousal, AbawSplit.Train).Single();

        read.Should().Be(written);
        read.Values.Should().Equal(written.Values);
        read.FrameCount.Should().Be(5);
        read.LabelledFrameCount.Should().Be(4);   // frame 5 is -5,-5
        read.Valence(2).Should().Be(1f / 3);
        read.Arousal(2).Should().Be(-2f / 3);
    }

    [Fact]
    public void Expression_written_then_read_is_equal()
    {
        var written = new ExpressionAnnotation("video_left", [0, 1, 2, 3, 4, 5, 6, 7, -1, 4]);

        string path = temp.Layout.WriteAnnotation(AbawSplit.Validation, written);
        var read = AnnotationReader.ReadExpression(path);

        read.Should().Be(written);
        read.LabelledFrameCount.Should().Be(9);   // ten frames, one -1
        path.Should().EndWith(Path.Combine("EXPR_Recognition_Challenge", "Validation_Set", "video_left.txt"));
    }

    [Fact]
    public void Action_units_written_then_read_are_equal()
    {
        int[] values =
        [
            1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0,
            -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
        ];
        var written = new ActionUnitAnnotation("v", values);

        string path = temp.Layout.WriteAnnotation(AbawSplit.Train, written);
        var read = AnnotationReader.ReadActionUnits(path);

        read.Should().Be(written);
        read.FrameCount.Should().Be(3);
        read.LabelledFrameCount.Should().Be(2);   // the middle frame is all -1
        read.Row(2)[11].Should().Be(1);           // AU26 of frame 3
    }

    [Fact]
    public void Annotation_files_are_written_in_the_exact_ABAW_text_format()
    {
        var va = ValenceArousalAnnotation.FromColumns("a", [0.5f, -5f], [-0.25f, -5f]);
        var expr = new ExpressionAnnotation("a", [4, -1]);
        var au = new ActionUnitAnnotation("a", [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);

        string vaPath = temp.Layout.WriteAnnotation(AbawSplit.Train, va);
        string exprPath = temp.Layout.WriteAnnotation(AbawSplit.Train, expr);
        string auPath = temp.Layout.WriteAnnotation(AbawSplit.Train, au);

        File.ReadAllText(vaPath).Should().Be("valence,arousal\n0.5,-0.25\n-5,-5\n");
        File.ReadAllText(exprPath).Should().Be("Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise,Other\n4\n-1\n");
        File.ReadAllText(auPath).Should().Be("AU1,AU2,AU4,AU6,AU7,AU10,AU12,AU15,AU23,AU24,AU25,AU26\n1,0,0,0,0,0,0,0,0,0,0,1\n");
    }

    [Fact]
    public void Crlf_endings_trailing_whitespace_a_byte_order_mark_and_final_empty_lines_are_tolerated()
    {
        string path = temp.WriteText("va.txt", "\uFEFFvalence,arousal \r\n0.5,-0.25  \r\n -5 , -5\t\r\n\r\n\r\n");

        var read = AnnotationReader.ReadValenceArousal(path);

        // Two data lines; the blank lines at the end are not frames.
        read.Video.Should().Be("va");
        read.Values.Should().Equal(0.5f, -0.25f, -5f, -5f);
        read.LabelledValenceCount.Should().Be(1);
        read.LabelledArousalCount.Should().Be(1);
    }

    [Fact]
    public void Any_valence_below_minus_one_counts_as_unlabelled_per_dimension()
    {
        // Frame 1: valence -2 is unlabelled, arousal 0.3 labelled; frame 2 both labelled.
        string path = temp.WriteText("v.txt", "valence,arousal\n-2,0.3\n0.1,0.2\n");

        var read = AnnotationReader.ReadValenceArousal(path);

        read.LabelledValenceCount.Should().Be(1);
        read.LabelledArousalCount.Should().Be(2);
        read.LabelledFrameCount.Should().Be(2);   // at least one dimension labelled in both frames
    }

    [Fact]
    public void An_action_unit_line_holding_a_single_minus_one_reads_as_twelve_unlabelled_values()
    {
        string path = temp.WriteText("au.txt", "AU1,AU2,AU4,AU6,AU7,AU10,AU12,AU15,AU23,AU24,AU25,AU26\r\n-1\r\n0,0,0,0,0,0,0,0,0,0,0,0\r\n");

        var read = AnnotationReader.ReadActionUnits(path);

        read.FrameCount.Should().Be(2);
        read.Row(0).ToArray().Should().OnlyContain(v => v == -1).And.HaveCount(12);
        read.LabelledFrameCount.Should().Be(1);
    }

    [Fact]
    public void Header_names_are_matched_ignoring_case_and_spaces_around_commas()
    {
        string path = temp.WriteText("e.txt", "neutral, anger,disgust,fear,happiness,sadness,surprise,other\n3\n");

        AnnotationReader.ReadExpression(path).Labels.Should().Equal(3);
    }

    [Fact]
    public void A_record_of_zero_frames_is_not_written_because_the_reader_would_refuse_the_file()
    {
        string path = Path.Combine(temp.Root, "empty.txt");

        FluentActions.Invoking(() => AnnotationWriter.Write(path, new ExpressionAnnotation("empty", [])))
            .Should().Throw<ArgumentException>().WithMessage("Video 'empty' has no frames*");
        File.Exists(path).Should().BeFalse();
    }

    [Fact]
    public void A_record_rejects_values_the_format_cannot_hold()
    {
        // VA above 1, expression class 8, AU value 2, and an AU array that is not whole rows of 12.
        FluentActions.Invoking(() => new ValenceArousalAnnotation("v", [0f, 1.5f])).Should().Throw<ArgumentException>()
            .WithMessage("Frame 1 arousal is 1.5*");
        FluentActions.Invoking(() => new ExpressionAnnotation("v", [0, 8])).Should().Throw<ArgumentException>()
            .WithMessage("Frame 2 has label 8*");
        FluentActions.Invoking(() => new ActionUnitAnnotation("v", [0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0])).Should().Throw<ArgumentException>()
            .WithMessage("Frame 1 AU4 is 2*");
        FluentActions.Invoking(() => new ActionUnitAnnotation("v", new int[13])).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => new ExpressionAnnotation("a/b", [])).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Records_compare_by_video_and_contents_not_by_array_identity()
    {
        new ExpressionAnnotation("v", [1, 2]).Should().Be(new ExpressionAnnotation("v", [1, 2]));
        new ExpressionAnnotation("v", [1, 2]).Should().NotBe(new ExpressionAnnotation("w", [1, 2]));
        new ExpressionAnnotation("v", [1, 2]).Should().NotBe(new ExpressionAnnotation("v", [1, 3]));
    }
}
