using AffectMae.Core.Data;

namespace AffectMae.Core.Tests.Data;

public sealed class AbawVideoTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("affectmae-abawvideo-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void Videos_join_the_challenges_that_annotate_them_and_pad_the_shorter_ones_as_unlabelled()
    {
        var layout = new AbawLayout(root);
        // "a": VA for 3 frames and expression for 2; "b": AUs for 1 frame only.
        layout.WriteAnnotation(AbawSplit.Train, ValenceArousalAnnotation.FromColumns("a", [0.5f, -0.25f, 1f], [0f, 0.75f, -1f]));
        layout.WriteAnnotation(AbawSplit.Train, new ExpressionAnnotation("a", [4, 0]));
        layout.WriteAnnotation(AbawSplit.Train, new ActionUnitAnnotation("b", [1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0]));

        var videos = AbawVideo.Load(layout, AbawSplit.Train);

        videos.Select(v => (v.Video, v.FrameCount)).Should().Equal(("a", 3), ("b", 1));
        videos[0].ValenceArousalLabels().Should().Equal(0.5f, 0f, -0.25f, 0.75f, 1f, -1f);
        videos[0].ExpressionLabels().Should().Equal(4, 0, -1);                     // frame 3 has no expression line
        videos[0].ActionUnitLabels().Should().HaveCount(36).And.OnlyContain(v => v == -1);
        videos[1].ValenceArousalLabels().Should().Equal(-5f, -5f);
        videos[1].ActionUnitLabels().Should().Equal(1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0);
    }

    [Fact]
    public void A_split_no_challenge_has_gives_no_videos()
    {
        var layout = new AbawLayout(root);
        layout.WriteAnnotation(AbawSplit.Train, new ExpressionAnnotation("a", [1]));

        AbawVideo.Load(layout, AbawSplit.Validation).Should().BeEmpty();
    }
    [Fact]
    public void A_video_annotated_in_training_for_one_task_and_in_validation_for_another_is_refused_naming_it()
    {
        var layout = new AbawLayout(root);
        layout.WriteAnnotation(AbawSplit.Train, new ExpressionAnnotation("a", [1]));
        layout.WriteAnnotation(AbawSplit.Train, ValenceArousalAnnotation.FromColumns("shared", [0.5f], [0f]));
        layout.WriteAnnotation(AbawSplit.Validation, new ActionUnitAnnotation("shared", new int[12]));
        string train = layout.AnnotationPath(AffectTask.ValenceArousal, AbawSplit.Train, "shared");
        string validation = layout.AnnotationPath(AffectTask.ActionUnits, AbawSplit.Validation, "shared");

        foreach (var split in new[] { AbawSplit.Train, AbawSplit.Validation })
            FluentActions.Invoking(() => AbawVideo.Load(layout, split)).Should().Throw<InvalidDataException>()
                .WithMessage($"Video 'shared' is in both splits: '{train}' and '{validation}'.*");
    }
}
