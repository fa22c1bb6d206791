using AffectMae.Core.Data;
using AffectMae.Core.Segmentation;
using AffectMae.Models.Data;
using AffectMae.Models.Temporal;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Data;

public sealed class FeatureWindowDatasetTests
{
    // Seven frames, D = 2: frame f has features (f, 10 + f), valence/arousal (f/10, −f/10) except frame 3 (unlabelled),
    // expression f except frame 3 (−1), and AU j = (f + j) mod 2 except frame 5 (all −1).
    private static VideoFeatures SevenFrames()
    {
        const int n = 7;
        var features = Enumerable.Range(0, n).SelectMany(f => new float[] { f, 10 + f }).ToArray();
        var va = Enumerable.Range(0, n).SelectMany(f => f == 3 ? new[] { -5f, -5f } : [f / 10f, -f / 10f]).ToArray();
        var expr = Enumerable.Range(0, n).Select(f => f == 3 ? -1 : f).ToArray();
        var au = Enumerable.Range(0, n).SelectMany(f => Enumerable.Range(0, 12).Select(j => f == 5 ? -1 : (f + j) % 2)).ToArray();
        return new VideoFeatures("video7", features, 2, va, expr, au);
    }

    [Fact]
    public void Seven_frames_with_window_4_and_stride_2_give_four_windows_starting_at_0_2_4_6()
    {
        // ⌊7/2⌋ + 1 = 4 windows; valid lengths min(4, 7 − start) = 4, 4, 3, 1.
        var dataset = new FeatureWindowDataset([SevenFrames()], new VideoSegmenter(4, 2));

        dataset.Items.Select(i => i.Window.Start).Should().Equal(0, 2, 4, 6);
        dataset.Items.Select(i => i.Window.ValidLength).Should().Equal(4, 4, 3, 1);
    }

    [Theory]
    [MemberData(nameof(Devices))]
    public void A_batch_of_the_seven_frame_video_has_hand_checked_masks_padding_and_labels(string deviceName)
    {
        var dataset = new FeatureWindowDataset([SevenFrames()], new VideoSegmenter(4, 2));

        using var batch = dataset.ToBatch(dataset.Stage([0, 1, 2, 3], new Random(0), CancellationToken.None), new Device(deviceName));

        batch.X.device.type.Should().Be(new Device(deviceName).type);
        batch.X.shape.Should().Equal(4, 4, 2);
        batch.Valid.shape.Should().Equal(4, 4);
        batch.ValenceArousal.shape.Should().Equal(4, 4, 2);
        batch.Expression.dtype.Should().Be(ScalarType.Int64);
        batch.ActionUnits.shape.Should().Equal(4, 4, 12);
        batch.Valid.cpu().data<bool>().ToArray().Should().Equal(
            true, true, true, true,
            true, true, true, true,
            true, true, true, false,
            true, false, false, false);
        // Window 2 covers frames 4, 5, 6 and one padding row; window 3 covers frame 6 and three padding rows.
        batch.X[2].cpu().data<float>().ToArray().Should().Equal(4, 14, 5, 15, 6, 16, 0, 0);
        batch.X[3].cpu().data<float>().ToArray().Should().Equal(6, 16, 0, 0, 0, 0, 0, 0);
        batch.ValenceArousal[1].cpu().data<float>().ToArray().Should().Equal(0.2f, -0.2f, -5f, -5f, 0.4f, -0.4f, 0.5f, -0.5f);
        batch.ValenceArousal[3].cpu().data<float>().ToArray().Should().Equal(0.6f, -0.6f, -5f, -5f, -5f, -5f, -5f, -5f);
        batch.Expression.cpu().data<long>().ToArray().Should().Equal(0, 1, 2, -1, 2, -1, 4, 5, 4, 5, 6, -1, 6, -1, -1, -1);
        batch.ActionUnits[2].cpu().data<float>().ToArray().Should().Equal(
            Enumerable.Range(0, 12).Select(j => (float)((4 + j) % 2))
                .Concat(Enumerable.Repeat(-1f, 12))                                // frame 5 is unlabelled
                .Concat(Enumerable.Range(0, 12).Select(j => (float)((6 + j) % 2)))
                .Concat(Enumerable.Repeat(-1f, 12)));                              // padding
        batch.Windows.Select(w => (w.Video, w.Window.Index)).Should().Equal(("video7", 0), ("video7", 1), ("video7", 2), ("video7", 3));
    }

    public static TheoryData<string> Devices()
    {
        var devices = new TheoryData<string> { "cpu" };
        if (cuda.is_available()) devices.Add("cuda");
        return devices;
    }

    [Fact]
    public void An_empty_window_is_not_an_item_and_stitching_the_batches_recovers_every_frame()
    {
        // Eight frames, w = 4, s = 2: ⌊8/2⌋ + 1 = 5 windows; the one at frame 8 is empty and is skipped.
        var features = Enumerable.Range(0, 8).SelectMany(f => new float[] { f, -f }).ToArray();
        var dataset = new FeatureWindowDataset([new VideoFeatures("v", features, 2)], new VideoSegmenter(4, 2));
        var windows = dataset.Segment(0);
        windows.Should().HaveCount(5);
        windows[4].IsEmpty.Should().BeTrue();
        dataset.Count.Should().Be(4);

        // An identity "model": its prediction is the input, placed in the row of each window's index.
        var predictions = new float[windows.Count * 4 * 2];
        using var batch = dataset.ToBatch(dataset.Stage([3, 1, 0, 2], new Random(0), CancellationToken.None), CPU);
        var x = batch.X.data<float>().ToArray();
        for (int row = 0; row < batch.Count; row++)
            x.AsSpan(row * 8, 8).CopyTo(predictions.AsSpan(batch.Windows[row].Window.Index * 8));

        WindowStitcher.Stitch(8, windows, predictions, 2).Should().Equal(features);
    }

    [Fact]
    public void A_video_without_annotations_reads_as_unlabelled_everywhere()
    {
        var dataset = new FeatureWindowDataset([new VideoFeatures("bare", new float[6], 3)], new VideoSegmenter(4, 4));

        using var batch = dataset.ToBatch(dataset.Stage([0], new Random(0), CancellationToken.None), CPU);

        batch.Valid.data<bool>().ToArray().Should().Equal(true, true, false, false);
        batch.ValenceArousal.data<float>().ToArray().Should().OnlyContain(v => v == -5f);
        batch.Expression.data<long>().ToArray().Should().OnlyContain(v => v == -1);
        batch.ActionUnits.data<float>().ToArray().Should().OnlyContain(v => v == -1f);
    }

    [Fact]
    public void Labels_of_the_wrong_length_are_rejected_with_the_video_named()
    {
        var act = () => new VideoFeatures("video9", new float[10], 2, expression: new int[4]);

        act.Should().Throw<ArgumentException>().WithMessage("*video9*5 frames*expression*4*");
    }

    [Fact]
    public void Videos_with_different_feature_sizes_are_rejected()
    {
        var act = () => new FeatureWindowDataset([new VideoFeatures("a", new float[4], 2), new VideoFeatures("b", new float[6], 3)], new VideoSegmenter(4, 2));

        act.Should().Throw<ArgumentException>().WithMessage("Video 'b' has 3-wide features; 'a' has 2. All must match.*");
    }

    [Fact]
    public void A_non_finite_feature_is_refused_naming_the_video_frame_and_feature()
    {
        // D = 4, 25 frames: value 77 is feature 77 mod 4 = 1 of row 19, i.e. frame 20 — past the first SIMD vectors.
        var features = new float[100];
        features[77] = float.NaN;
        features[90] = float.PositiveInfinity;

        var act = () => new VideoFeatures("v12", features, 4);

        act.Should().Throw<ArgumentException>().WithMessage("Video 'v12': feature 1 of frame 20 is NaN; the temporal model needs finite features*");
    }

    [Fact]
    public void A_non_finite_valence_label_is_refused_naming_the_frame()
    {
        var act = () => new VideoFeatures("v", new float[6], 2, valenceArousal: [0.5f, 0.5f, -5f, -5f, float.NaN, 0f]);

        act.Should().Throw<ArgumentException>().WithMessage("Video 'v': the valence of frame 3 is NaN; use -5 for an unlabelled frame.*");
    }

    [Fact]
    public void Labelled_frames_are_counted_per_task_over_all_videos()
    {
        // SevenFrames: VA and expression unlabelled on frame 3 only (6 labelled each), AUs unlabelled on frame 5 (6);
        // the second video has no annotations at all.
        var dataset = new FeatureWindowDataset([SevenFrames(), new VideoFeatures("bare", new float[4], 2)], new VideoSegmenter(4, 2));

        dataset.LabelledFrames(AffectTask.ValenceArousal).Should().Be(6);
        dataset.LabelledFrames(AffectTask.Expression).Should().Be(6);
        dataset.LabelledFrames(AffectTask.ActionUnits).Should().Be(6);
        FluentActions.Invoking(() => dataset.LabelledFrames(AffectTask.All)).Should().Throw<ArgumentException>();
    }
}
