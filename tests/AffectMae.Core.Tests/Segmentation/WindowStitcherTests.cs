using AffectMae.Core.Segmentation;

namespace AffectMae.Core.Tests.Segmentation;

public class WindowStitcherTests
{
    [Fact]
    public void Overlapping_frames_get_the_mean_of_the_windows_that_cover_them()
    {
        // n = 6, w = 4, s = 2 → ⌊6/2⌋+1 = 4 windows at 0, 2, 4, 6 (the last empty). Window k predicts the value k+1
        // at every position, so frame 0,1 → 1; frames 2,3 → (1+2)/2 = 1.5; frames 4,5 → (2+3)/2 = 2.5.
        var windows = new VideoSegmenter(4, 2).Segment(6);
        float[] predictions = Enumerable.Range(0, windows.Count).SelectMany(k => Enumerable.Repeat((float)(k + 1), 4)).ToArray();

        WindowStitcher.Stitch(6, windows, predictions, valuesPerFrame: 1).Should().Equal(1f, 1f, 1.5f, 1.5f, 2.5f, 2.5f);
    }

    [Fact]
    public void Padding_positions_never_reach_a_frame()
    {
        // n = 5, w = s = 4 → windows at 0 and 4 (2 of them, ⌊5/4⌋+1); window 1 holds frame 4 at position 0 and padding
        // at 1 … 3, whose values (999) must be ignored. Two values a frame: (frame, −frame) from the window position.
        var windows = new VideoSegmenter(4, 4).Segment(5);
        var predictions = new float[2 * 4 * 2];
        for (int w = 0; w < 2; w++)
            for (int p = 0; p < 4; p++)
            {
                bool padding = windows[w].PaddingMask()[p];
                int frame = windows[w].Start + p;
                predictions[(w * 4 + p) * 2] = padding ? 999 : frame;
                predictions[(w * 4 + p) * 2 + 1] = padding ? 999 : -frame;
            }

        WindowStitcher.Stitch(5, windows, predictions, 2).Should().Equal(0f, 0f, 1f, -1f, 2f, -2f, 3f, -3f, 4f, -4f);
    }

    [Fact]
    public void Paper_windows_give_every_frame_exactly_one_value()
    {
        // n = 700: frames 200 … 299 are covered by windows 0 and 1, 600 … 699 by windows 2 and 3 only where both reach.
        var windows = new VideoSegmenter().Segment(700);
        var predictions = new float[windows.Count * 300];
        for (int w = 0; w < windows.Count; w++)
            for (int p = 0; p < 300; p++)
                predictions[w * 300 + p] = windows[w].Start + p;   // each window predicts the frame's own index

        var stitched = WindowStitcher.Stitch(700, windows, predictions, 1);

        stitched.Should().HaveCount(700);
        stitched.Should().Equal(Enumerable.Range(0, 700).Select(i => (float)i));
    }

    [Fact]
    public void A_prediction_buffer_of_the_wrong_size_is_rejected()
    {
        var windows = new VideoSegmenter(4, 2).Segment(6);

        var stitch = () => WindowStitcher.Stitch(6, windows, new float[15], 1);

        stitch.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("predictions");
    }

    [Fact]
    public void Windows_of_a_longer_video_are_rejected()
    {
        var windows = new VideoSegmenter(4, 2).Segment(10);

        var stitch = () => WindowStitcher.Stitch(6, windows, new float[windows.Count * 4], 1);

        stitch.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("windows");
    }
}
