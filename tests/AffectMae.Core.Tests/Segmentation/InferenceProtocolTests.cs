using AffectMae.Core.Segmentation;

namespace AffectMae.Core.Tests.Segmentation;

public class InferenceProtocolTests
{
    #region Training windows without the tail

    [Fact]
    public void Dropping_the_tail_keeps_only_the_windows_that_fit_wholly()
    {
        // n = 10, w = 4, s = 2: ⌊(10 − 4)/2⌋+1 = 4 full windows at 0, 2, 4, 6 (Pad would give ⌊10/2⌋+1 = 6).
        var windows = new VideoSegmenter(4, 2, WindowTail.Drop).Segment(10);

        windows.Select(w => (w.Index, w.Start, w.ValidLength)).Should().Equal((0, 0, 4), (1, 2, 4), (2, 4, 4), (3, 6, 4));
        new VideoSegmenter(4, 2).Segment(10).Should().HaveCount(6);
    }

    [Fact]
    public void Dropping_the_tail_matches_the_released_split_loop_for_every_length()
    {
        // The released split: for i in 0 … ⌊n/s⌋ − 1, a window starts at s·i; the loop stops at the first that would overrun.
        const int w = 6, s = 4;
        var segmenter = new VideoSegmenter(w, s, WindowTail.Drop);
        for (int n = 1; n <= 50; n++)
        {
            var starts = new List<int>();
            for (int i = 0; i < n / s; i++)
            {
                if (s * i + w > n) break;
                starts.Add(s * i);
            }

            segmenter.Segment(n).Select(x => x.Start).Should().Equal(starts, $"n = {n}");
            segmenter.WindowCount(n).Should().Be(starts.Count);
        }
    }

    [Fact]
    public void A_video_shorter_than_a_window_gives_no_training_window()
    {
        new VideoSegmenter(300, 200, WindowTail.Drop).Segment(299).Should().BeEmpty();
        new VideoSegmenter(300, 200, WindowTail.Drop).Segment(300).Should().ContainSingle();
    }

    [Fact]
    public void The_tail_rule_binds_from_options_and_an_unknown_one_is_reported()
    {
        new VideoSegmenter(new SegmentationOptions { Tail = WindowTail.Drop }).Tail.Should().Be(WindowTail.Drop);
        new SegmentationOptionsValidator().Validate(null, new SegmentationOptions { Tail = (WindowTail)7 }).FailureMessage
            .Should().Contain("Tail is 7; use Pad (every frame covered) or Drop");
    }

    #endregion

    #region Protocols

    [Fact]
    public void Non_overlapping_windows_have_the_window_length_as_stride_and_a_shorter_last_one()
    {
        // n = 650, w = 300: ⌊650/300⌋+1 = 3 windows at 0, 300, 600, the last with 50 frames.
        var windows = InferenceWindows.Segmenter(InferenceProtocol.NonOverlapping, 300, 200).Segment(650);

        windows.Select(w => (w.Start, w.ValidLength)).Should().Equal((0, 300), (300, 300), (600, 50));
    }

    [Fact]
    public void The_overlapping_protocols_use_the_stride()
    {
        InferenceWindows.Segmenter(InferenceProtocol.OverlapAverage, 300, 200).Stride.Should().Be(200);
        InferenceWindows.Segmenter(InferenceProtocol.LastWindowWins, 300, 200).Stride.Should().Be(200);
    }

    [Fact]
    public void With_the_last_window_winning_each_frame_takes_the_latest_window_that_covers_it()
    {
        // n = 10, w = 4, s = 2: windows at 0, 2, 4, 6, 8 (2 frames) and 10 (empty). Window i predicts the value i everywhere,
        // so frame f takes the index of the last window covering it: 0 0 1 1 2 2 3 3 4 4. Averaging gives 0 0 .5 .5 1.5 …
        var windows = new VideoSegmenter(4, 2).Segment(10);
        var predictions = windows.SelectMany(w => Enumerable.Repeat((float)w.Index, 4)).ToArray();

        WindowStitcher.Stitch(10, windows, predictions, 1, InferenceProtocol.LastWindowWins).Should().Equal(0, 0, 1, 1, 2, 2, 3, 3, 4, 4);
        WindowStitcher.Stitch(10, windows, predictions, 1, InferenceProtocol.OverlapAverage).Should().Equal(0, 0, 0.5f, 0.5f, 1.5f, 1.5f, 2.5f, 2.5f, 3.5f, 3.5f);
        InferenceWindows.LastCovering(10, windows)[8].Should().Be((4, 0));
    }

    [Fact]
    public void Non_overlapping_stitching_takes_each_frame_from_its_one_window()
    {
        // n = 10, w = 4: windows at 0, 4, 8 (2 frames, 2 padding); window i predicts (10·i + position).
        var windows = InferenceWindows.Segmenter(InferenceProtocol.NonOverlapping, 4, 4).Segment(10);
        var predictions = windows.SelectMany(w => Enumerable.Range(0, 4).Select(p => (float)(10 * w.Index + p))).ToArray();

        WindowStitcher.Stitch(10, windows, predictions, 1, InferenceProtocol.NonOverlapping).Should().Equal(0, 1, 2, 3, 10, 11, 12, 13, 20, 21);
    }

    [Fact]
    public void Non_overlapping_stitching_refuses_overlapping_windows()
    {
        var windows = new VideoSegmenter(4, 2).Segment(10);

        var stitch = () => WindowStitcher.Stitch(10, windows, new float[windows.Count * 4], 1, InferenceProtocol.NonOverlapping);

        stitch.Should().Throw<ArgumentException>().WithMessage("Windows 0 and 1 overlap (starts 0 and 2, length 4): NonOverlapping needs stride = window length*");
    }

    #endregion

    #region Mode filter

    [Fact]
    public void The_mode_filter_takes_the_most_frequent_label_around_each_frame_and_breaks_ties_to_the_smallest()
    {
        // k = 4 → frames i − 2 … i + 2, clipped. Frame 0: {3, 1, 1} → 1. Frame 1: {3, 1, 1, 3} → 1 and 3 tie → 1.
        // Frame 2: {3, 1, 1, 3, 2} → 1. Frame 3: {1, 1, 3, 2} → 1. Frame 4: {1, 3, 2} → a three-way tie → 1.
        ModeFilter.Apply([3, 1, 1, 3, 2], 4).Should().Equal(1, 1, 1, 1, 1);
    }

    [Fact]
    public void A_long_run_survives_and_a_short_blip_is_removed()
    {
        // k = 2 → 3-frame windows: the single 5 inside the 0s is outvoted; runs of two or more stay.
        ModeFilter.Apply([0, 0, 5, 0, 0, 7, 7, 7], 2).Should().Equal(0, 0, 0, 0, 0, 7, 7, 7);
    }

    [Fact]
    public void Windows_of_zero_or_one_frame_change_nothing_and_negative_labels_are_refused()
    {
        ModeFilter.Apply([2, 0, 1], 0).Should().Equal(2, 0, 1);
        ModeFilter.Apply([2, 0, 1], 1).Should().Equal(2, 0, 1);
        var filter = () => ModeFilter.Apply([2, -1, 1], 40);
        filter.Should().Throw<ArgumentException>().WithMessage("Label -1 at frame 1 is negative*");
    }

    #endregion
}
