using AffectMae.Core.Segmentation;

namespace AffectMae.Core.Tests.Segmentation;

public class VideoSegmenterTests
{
    private static readonly VideoSegmenter Paper = new(windowLength: 300, stride: 200);

    [Fact]
    public void Seven_hundred_frames_give_four_windows_the_last_holding_one_hundred_frames_and_two_hundred_padding()
    {
        // ⌊700/200⌋+1 = 4 windows starting at 0, 200, 400, 600; the last covers 600 … 899, of which 600 … 699 exist.
        var windows = Paper.Segment(700);

        windows.Select(w => w.Start).Should().Equal(0, 200, 400, 600);
        windows.Select(w => w.ValidLength).Should().Equal(300, 300, 300, 100);
        windows[3].PaddingLength.Should().Be(200);
        windows[3].End.Should().Be(699);
        windows.Should().OnlyContain(w => w.Length == 300);
    }

    [Fact]
    public void Four_hundred_frames_give_three_windows_the_last_reported_empty()
    {
        // ⌊400/200⌋+1 = 3; window 1 covers 200 … 499 (200 … 399 exist); window 2 starts at 400 = n, past the end.
        var windows = Paper.Segment(400);

        windows.Select(w => (w.Index, w.Start, w.ValidLength)).Should().Equal((0, 0, 300), (1, 200, 200), (2, 400, 0));
        windows[2].IsEmpty.Should().BeTrue();
        windows[2].PaddingMask().Should().OnlyContain(padding => padding);
    }

    [Fact]
    public void One_frame_gives_one_window_with_one_valid_position()
    {
        // ⌊1/200⌋+1 = 1; position 0 is frame 0, positions 1 … 299 are padding.
        var window = Paper.Segment(1).Should().ContainSingle().Subject;

        window.ValidLength.Should().Be(1);
        window.PaddingMask().Count(padding => padding).Should().Be(299);
        window.PaddingMask()[0].Should().BeFalse();
    }

    [Theory]
    [InlineData(299, new[] { 299, 99 })]   // ⌊299/200⌋+1 = 2; window 1 holds frames 200 … 298
    [InlineData(300, new[] { 300, 100 })]  // ⌊300/200⌋+1 = 2; window 1 holds frames 200 … 299
    public void Frame_counts_near_one_window_give_two_windows(int frames, int[] validLengths)
    {
        Paper.Segment(frames).Select(w => w.ValidLength).Should().Equal(validLengths);
    }

    [Fact]
    public void Window_equal_to_stride_tiles_the_video_without_overlap()
    {
        // w = s = 4, n = 10: ⌊10/4⌋+1 = 3 windows at 0, 4, 8; the last holds frames 8, 9 and two padding positions.
        var windows = new VideoSegmenter(windowLength: 4, stride: 4).Segment(10);

        windows.Select(w => (w.Start, w.ValidLength)).Should().Equal((0, 4), (4, 4), (8, 2));
        windows[2].PaddingMask().Should().Equal(false, false, true, true);
    }

    [Fact]
    public void Ten_frames_with_window_four_and_stride_two_give_six_windows()
    {
        // ⌊10/2⌋+1 = 6 windows at 0, 2, 4, 6, 8, 10; the one at 8 holds 2 frames, the one at 10 none.
        var windows = new VideoSegmenter(windowLength: 4, stride: 2).Segment(10);

        windows.Select(w => w.Start).Should().Equal(0, 2, 4, 6, 8, 10);
        windows.Select(w => w.ValidLength).Should().Equal(4, 4, 4, 4, 2, 0);
    }

    [Fact]
    public void Every_frame_is_covered_by_at_least_one_window()
    {
        foreach (int frames in new[] { 1, 199, 200, 201, 299, 300, 301, 400, 700, 1234 })
        {
            var covered = new bool[frames];
            foreach (var window in Paper.Segment(frames))
                for (int frame = window.Start; frame <= window.End; frame++)
                    covered[frame] = true;
            covered.Should().OnlyContain(c => c, $"every one of {frames} frames must be covered");
        }
    }

    [Theory]
    [InlineData(300, 301, "stride")]
    [InlineData(0, 1, "windowLength")]
    [InlineData(-3, 1, "windowLength")]
    [InlineData(300, 0, "stride")]
    [InlineData(300, -1, "stride")]
    public void Invalid_sizes_are_rejected_naming_the_argument(int windowLength, int stride, string argument)
    {
        var construct = () => new VideoSegmenter(windowLength, stride);

        construct.Should().Throw<ArgumentException>().Which.ParamName.Should().Be(argument);
    }

    [Fact]
    public void A_video_with_no_frames_is_rejected()
    {
        var segment = () => Paper.Segment(0);

        segment.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("frameCount");
    }

    [Fact]
    public void The_options_validator_explains_a_stride_longer_than_the_window()
    {
        var result = new SegmentationOptionsValidator().Validate(null, new SegmentationOptions { WindowLength = 100, Stride = 150 });

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain("Stride (150) must not exceed WindowLength (100)");
    }

    [Fact]
    public void The_paper_defaults_pass_validation()
    {
        var options = new SegmentationOptions();

        (options.WindowLength, options.Stride).Should().Be((300, 200));
        new SegmentationOptionsValidator().Validate(null, options).Succeeded.Should().BeTrue();
    }
}
