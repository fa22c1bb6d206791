using AffectMae.Core.Data;

namespace AffectMae.Core.Tests.Data;

public class VideoFoldsTests
{
    // 12 videos in 10 recordings: two left/right pairs and eight single-subject videos.
    private static readonly string[] Videos =
    [
        "1-30-1280x720", "10-60-1280x720_left", "10-60-1280x720_right", "105", "11-24-1920x1080", "12-24-1920x1080",
        "2-30-640x360", "20-24-1920x1080_left", "20-24-1920x1080_right", "3", "4", "5",
    ];

    [Fact]
    public void Five_folds_are_disjoint_by_video_and_cover_every_video()
    {
        var folds = VideoFolds.Partition(Videos, foldCount: 5, seed: 7);

        folds.Should().HaveCount(5);
        folds.SelectMany(f => f).Should().HaveCount(12).And.OnlyHaveUniqueItems().And.BeEquivalentTo(Videos);
        folds.Should().OnlyContain(f => f.Count > 0);
    }

    [Fact]
    public void Left_and_right_videos_of_one_recording_stay_in_the_same_fold_for_every_seed()
    {
        for (int seed = 0; seed < 50; seed++)
        {
            var folds = VideoFolds.Partition(Videos, 5, seed);
            int FoldOf(string video) => folds.Select((f, i) => (f, i)).Single(x => x.f.Contains(video)).i;

            FoldOf("10-60-1280x720_left").Should().Be(FoldOf("10-60-1280x720_right"), $"seed {seed}");
            FoldOf("20-24-1920x1080_left").Should().Be(FoldOf("20-24-1920x1080_right"), $"seed {seed}");
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_folds_whatever_the_input_order()
    {
        var first = VideoFolds.Partition(Videos, 5, seed: 3);
        var second = VideoFolds.Partition(Videos.Reverse(), 5, seed: 3);

        second.Should().BeEquivalentTo(first, options => options.WithStrictOrdering());
    }

    [Fact]
    public void Different_seeds_give_different_folds()
    {
        var first = VideoFolds.Partition(Videos, 5, seed: 1);
        var second = VideoFolds.Partition(Videos, 5, seed: 2);

        second.Should().NotBeEquivalentTo(first, options => options.WithStrictOrdering());
    }

    [Fact]
    public void Ten_single_videos_in_five_folds_give_two_videos_a_fold()
    {
        // No pairs: ten groups dealt to the emptiest fold in turn → exactly 10 / 5 = 2 each.
        var videos = Enumerable.Range(0, 10).Select(i => $"v{i}");

        VideoFolds.Partition(videos, 5, seed: 0).Should().OnlyContain(f => f.Count == 2);
    }

    [Fact]
    public void Each_cross_validation_split_validates_on_one_fold_and_trains_on_the_rest()
    {
        var folds = VideoFolds.Partition(Videos, 5, seed: 11);
        var splits = VideoFolds.Split(Videos, 5, seed: 11);

        splits.Should().HaveCount(5);
        for (int i = 0; i < 5; i++)
        {
            splits[i].Validation.Should().Equal(folds[i]);
            splits[i].Train.Should().HaveCount(12 - folds[i].Count).And.NotIntersectWith(folds[i]);
            splits[i].Train.Should().BeInAscendingOrder(StringComparer.Ordinal);
        }
        // Every video is validated on exactly once.
        splits.SelectMany(s => s.Validation).Should().BeEquivalentTo(Videos);
    }

    [Theory]
    [InlineData("10-60-1280x720_left", "10-60-1280x720")]
    [InlineData("10-60-1280x720_right", "10-60-1280x720")]
    [InlineData("2-30-640x360", "2-30-640x360")]
    [InlineData("_left", "_left")]              // nothing would be left of the name
    [InlineData("video_Left", "video_Left")]    // the suffix is matched exactly, case included
    public void The_recording_key_strips_only_a_trailing_left_or_right(string video, string recording)
    {
        VideoFolds.RecordingOf(video).Should().Be(recording);
    }

    [Fact]
    public void Fewer_recordings_than_folds_are_rejected()
    {
        // Two videos, one recording: five folds cannot all be filled.
        FluentActions.Invoking(() => VideoFolds.Partition(["a_left", "a_right"], 5))
            .Should().Throw<ArgumentException>().WithMessage("1 recordings cannot fill 5 folds*");
    }

    [Fact]
    public void A_video_given_twice_is_rejected()
    {
        FluentActions.Invoking(() => VideoFolds.Partition(["a", "b", "a"], 2))
            .Should().Throw<ArgumentException>().WithMessage("Video a is given twice*");
    }
}
