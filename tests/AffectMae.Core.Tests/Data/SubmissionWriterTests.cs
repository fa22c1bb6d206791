using AffectMae.Core.Data;

namespace AffectMae.Core.Tests.Data;

public sealed class SubmissionWriterTests : IDisposable
{
    private readonly TempAbawRoot temp = new();

    public void Dispose() => temp.Dispose();

    private string PathOf(string name) => Path.Combine(temp.Root, name);

    [Fact]
    public void Valence_arousal_predictions_are_written_one_row_per_frame_with_image_locations()
    {
        var predictions = new[]
        {
            ValenceArousalAnnotation.FromColumns("2-30-640x360", [0.5f, 0f], [-0.5f, 1f]),
            ValenceArousalAnnotation.FromColumns("v_left", [-1f], [0.25f]),
        };

        SubmissionWriter.WriteValenceArousal(PathOf("va.csv"), predictions);

        File.ReadAllText(PathOf("va.csv")).Should().Be(
            "image_location,valence,arousal\n"
            + "2-30-640x360/00001.jpg,0.5,-0.5\n"
            + "2-30-640x360/00002.jpg,0,1\n"
            + "v_left/00001.jpg,-1,0.25\n");
    }

    [Fact]
    public void Expression_predictions_are_written_as_class_indices()
    {
        SubmissionWriter.WriteExpression(PathOf("expr.csv"), [new ExpressionAnnotation("a", [4, 0, 7])]);

        File.ReadAllText(PathOf("expr.csv")).Should().Be(
            "image_location,Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise,Other\n"
            + "a/00001.jpg,4\n"
            + "a/00002.jpg,0\n"
            + "a/00003.jpg,7\n");
    }

    [Fact]
    public void Action_unit_predictions_are_written_as_twelve_binary_columns()
    {
        int[] values = [1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, /* frame 2 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

        SubmissionWriter.WriteActionUnits(PathOf("au.csv"), [new ActionUnitAnnotation("a", values)]);

        File.ReadAllText(PathOf("au.csv")).Should().Be(
            "image_location,AU1,AU2,AU4,AU6,AU7,AU10,AU12,AU15,AU23,AU24,AU25,AU26\n"
            + "a/00001.jpg,1,0,0,0,0,0,1,0,0,0,0,1\n"
            + "a/00002.jpg,0,0,0,0,0,0,0,0,0,0,0,0\n");
    }

    [Fact]
    public void An_unlabelled_marker_in_predictions_fails_and_leaves_the_previous_file_untouched()
    {
        File.WriteAllText(PathOf("expr.csv"), "previous");

        FluentActions.Invoking(() => SubmissionWriter.WriteExpression(PathOf("expr.csv"), [new ExpressionAnnotation("a", [1, -1])]))
            .Should().Throw<ArgumentException>().WithMessage("Video a frame 2 has label -1*");

        File.ReadAllText(PathOf("expr.csv")).Should().Be("previous");
        Directory.GetFiles(temp.Root).Should().ContainSingle();   // no temporary file left behind
    }

    [Fact]
    public void Valence_below_minus_one_and_unlabelled_action_units_are_rejected()
    {
        FluentActions.Invoking(() => SubmissionWriter.WriteValenceArousal(PathOf("va.csv"), [new ValenceArousalAnnotation("a", [-5f, 0f])]))
            .Should().Throw<ArgumentException>().WithMessage("Video a frame 1 has valence -5, arousal 0*");
        int[] unlabelled = Enumerable.Repeat(-1, 12).ToArray();
        FluentActions.Invoking(() => SubmissionWriter.WriteActionUnits(PathOf("au.csv"), [new ActionUnitAnnotation("a", unlabelled)]))
            .Should().Throw<ArgumentException>().WithMessage("Video a frame 1 holds -1*");
        File.Exists(PathOf("va.csv")).Should().BeFalse();
        File.Exists(PathOf("au.csv")).Should().BeFalse();
    }

    [Fact]
    public void A_video_given_twice_is_rejected()
    {
        var video = new ExpressionAnnotation("a", [0]);

        FluentActions.Invoking(() => SubmissionWriter.WriteExpression(PathOf("e.csv"), [video, video]))
            .Should().Throw<ArgumentException>().WithMessage("Video a is given twice*");
    }

    [Fact]
    public void Image_location_is_the_video_and_the_five_digit_frame_file()
    {
        SubmissionWriter.ImageLocation("2-30-640x360", 1).Should().Be("2-30-640x360/00001.jpg");
        SubmissionWriter.ImageLocation("v", 123456).Should().Be("v/123456.jpg");   // D5 pads, never truncates
    }
}
