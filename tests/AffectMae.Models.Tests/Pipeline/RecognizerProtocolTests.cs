using System.Runtime.CompilerServices;
using AffectMae.Core.Data;
using AffectMae.Core.Segmentation;
using AffectMae.Models.Data;
using AffectMae.Models.Evaluation;
using AffectMae.Models.Pipeline;
using AffectMae.Models.Temporal;
using AffectMae.Models.Tests.Fixtures;
using SkiaSharp;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Pipeline;

// The recognizer's windowed engine against TemporalEvaluator (the batch form over a whole video), for every protocol
// and both model kinds; and its streaming form against its batch forms.
[Collection(GlobalRngCollection.Name)]
public sealed class RecognizerProtocolTests : IDisposable
{
    private static readonly SegmentationOptions Windows = new() { WindowLength = 8, Stride = 3 };
    private readonly ScratchFolder folder = new("affectmae-recognizer-");
    private readonly EncoderBundle encoder;

    public RecognizerProtocolTests() => encoder = EncoderBundle.Load(TinyModels.SaveEncoder(Path.Combine(folder.Path, "encoder")));

    public void Dispose()
    {
        encoder.Dispose();
        folder.Dispose();
    }

    public static TheoryData<TemporalModelKind, InferenceProtocol, int, ThresholdRule> Protocols
    {
        get
        {
            var data = new TheoryData<TemporalModelKind, InferenceProtocol, int, ThresholdRule>();
            foreach (var kind in Enum.GetValues<TemporalModelKind>())
            {
                data.Add(kind, InferenceProtocol.OverlapAverage, 0, ThresholdRule.AtOrAbove);
                data.Add(kind, InferenceProtocol.NonOverlapping, 7, ThresholdRule.Above);
                data.Add(kind, InferenceProtocol.LastWindowWins, 4, ThresholdRule.AtOrAbove);
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public void Frame_by_frame_prediction_equals_the_evaluator_s_on_the_same_features(TemporalModelKind kind, InferenceProtocol protocol, int modeFilter, ThresholdRule rule)
    {
        // 37 frames, w = 8, s = 3: windows overlap by 5 frames (non-overlapping: stride 8, the last one 5 frames long).
        var inference = new InferenceOptions { Protocol = protocol, ExpressionModeFilter = modeFilter, ActionUnitRule = rule, ClipValenceArousal = true };
        using var temporal = Bundle(kind, inference);
        using var recognizer = new AffectRecognizer(encoder, temporal, new AffectRecognizerOptions { WindowBatchSize = 2 });
        float[] features = TinyModels.Features(37, 11);

        var rows = recognizer.PredictFeatures(features).Frames;
        var expected = TemporalEvaluator.Predict(temporal.Model, new FeatureWindowDataset([new VideoFeatures("v", features, TinyModels.Width)], temporal.Segmenter),
            batchSize: 3, inference: inference).Single();

        rows.Select(r => r.Frame).Should().Equal(Enumerable.Range(1, 37));
        rows.Should().OnlyContain(r => r.FaceFound);
        Matrix(rows, r => [r.Valence, r.Arousal]).ShouldMatch(tensor(expected.ValenceArousal!).reshape(37, 2), "valence/arousal", tolerance: 1e-6);
        Matrix(rows, r => r.ExpressionProbabilities).ShouldMatch(softmax(tensor(expected.ExpressionLogits!).reshape(37, 8), 1), "expression probabilities", tolerance: 1e-6);
        rows.Select(r => r.Expression).Should().Equal(expected.ExpressionClasses()!, "the arg-max, mode-filtered over {0} frames", modeFilter);
        Matrix(rows, r => r.ActionUnitProbabilities).ShouldMatch(tensor(expected.ActionUnitProbabilities!).reshape(37, 12), "action-unit probabilities", tolerance: 1e-6);
        rows.SelectMany(r => r.ActionUnits.Select(a => a ? 1 : 0)).Should().Equal(expected.ActionUnits()!);
        if (kind == TemporalModelKind.AuthorsTemporalModel)
            expected.ValenceArousal!.Should().Contain(v => Math.Abs(v) == 1, "the authors' unbounded outputs leave [−1, 1] and are clipped");
    }

    [Fact]
    public void The_stream_gives_the_batch_forms_numbers_bit_for_bit_under_the_authors_protocol_with_frames_without_a_face()
    {
        var inference = InferenceOptions.Released;
        inference.ExpressionModeFilter = 6;
        using var temporal = Bundle(TemporalModelKind.AuthorsTemporalModel, inference);
        using var recognizer = new AffectRecognizer(encoder, temporal, new AffectRecognizerOptions { BatchSize = 5, WindowBatchSize = 2 });
        var images = Enumerable.Range(0, 41).Select(i => i is 9 or 10 or 30 ? null : TinyModels.Frame(i)).ToList();
        try
        {
            var batch = recognizer.PredictImages(images).Frames;
            var streamed = recognizer.PredictStreamAsync(Frames(images, produced: null)).ToBlockingEnumerable().ToList();

            streamed.Should().BeEquivalentTo(batch, o => o.WithStrictOrdering());
            batch.Where(r => r.FaceFound).Should().HaveCountGreaterThan(30);
            recognizer.Inference.Protocol.Should().Be(InferenceProtocol.NonOverlapping, "the bundle's protocol");
        }
        finally
        {
            foreach (var image in images) image?.Dispose();
        }
    }

    [Fact]
    public void The_stream_holds_a_bounded_number_of_frames_whatever_the_video_s_length()
    {
        // A frame comes out at most (encoder batch) + w + (window batch)·s + ⌊k/2⌋ frames after it went in: the images
        // waiting for a batch, the windows waiting to run, and the mode filter's look-ahead.
        const int frames = 300, batchSize = 4, windowBatch = 2, k = 40;
        using var temporal = Bundle(TemporalModelKind.AuthorsTemporalModel, new InferenceOptions { ExpressionModeFilter = k });
        using var recognizer = new AffectRecognizer(encoder, temporal, new AffectRecognizerOptions { BatchSize = batchSize, WindowBatchSize = windowBatch });
        using var image = TinyModels.Frame(0);
        var produced = new StrongBox<int>();
        int yielded = 0, largestLag = 0;

        foreach (var row in recognizer.PredictStreamAsync(Frames(Enumerable.Repeat(image, frames).ToList(), produced)).ToBlockingEnumerable())
        {
            largestLag = Math.Max(largestLag, produced.Value - ++yielded);
            row.FaceFound.Should().BeTrue();
        }

        yielded.Should().Be(frames);
        largestLag.Should().BeLessThanOrEqualTo(batchSize + Windows.WindowLength + windowBatch * Windows.Stride + k / 2)
            .And.BeGreaterThanOrEqualTo(k / 2, "a frame waits for its look-ahead");
    }

    [Fact]
    public void Tasks_the_bundle_lacks_come_out_as_not_predicted()
    {
        using var model = TinyModels.AuthorsJoined(AffectTask.ValenceArousal);
        using var temporal = Save("va-only", model, InferenceOptions.Released);
        using var recognizer = new AffectRecognizer(encoder, temporal);

        var rows = recognizer.PredictFeatures(TinyModels.Features(12, 3)).Frames;

        rows.Should().OnlyContain(r => r.FaceFound && r.Valence >= -1 && r.Valence <= 1 && !float.IsNaN(r.Arousal));
        rows.Should().OnlyContain(r => r.Expression == -1 && r.ExpressionName == null && r.ExpressionProbabilities.Count == 0);
        rows.Should().OnlyContain(r => r.ActionUnitProbabilities.Count == 0 && r.ActionUnits.Count == 0);
    }

    [Fact]
    public void Options_may_override_the_bundle_s_protocol()
    {
        using var temporal = Bundle(TemporalModelKind.AuthorsTemporalModel, InferenceOptions.Released);
        float[] features = TinyModels.Features(20, 4);
        using var released = new AffectRecognizer(encoder, temporal);
        using var averaged = new AffectRecognizer(encoder, temporal, new AffectRecognizerOptions { Inference = InferenceOptions.OverlapAverage });
        using var ours = Bundle(TemporalModelKind.AuthorsTemporalModel, InferenceOptions.OverlapAverage);
        using var reference = new AffectRecognizer(encoder, ours);

        averaged.PredictFeatures(features).Frames.Should().BeEquivalentTo(reference.PredictFeatures(features).Frames, o => o.WithStrictOrdering());
        released.PredictFeatures(features).Frames.Select(r => r.Arousal).Should().NotEqual(averaged.PredictFeatures(features).Frames.Select(r => r.Arousal), "windows of 8 without overlap differ from overlapping ones averaged");
        FluentActions.Invoking(() => new AffectRecognizer(encoder, temporal, new AffectRecognizerOptions { Inference = new InferenceOptions { ExpressionModeFilter = -1 } }))
            .Should().Throw<ArgumentException>().WithMessage("*AffectRecognizerOptions.Inference: InferenceOptions.ExpressionModeFilter must be at least 0*");
    }

    private TemporalBundle Bundle(TemporalModelKind kind, InferenceOptions inference)
    {
        using TemporalAffectModel model = kind == TemporalModelKind.AuthorsTemporalModel ? TinyModels.AuthorsJoined() : (TemporalAffectModel)TinyModels.Ours(7);
        if (model is PerTaskTemporalModel joined)
        {
            using var _ = no_grad();
            joined.ModelOf(AffectTask.ValenceArousal)!.state_dict()["head.2.weight"].mul_(20);   // outputs beyond [−1, 1], so the clip is exercised
        }
        return Save($"{kind}-{Guid.NewGuid():N}", model, inference);
    }

    private TemporalBundle Save(string name, TemporalAffectModel model, InferenceOptions inference)
    {
        string bundle = Path.Combine(folder.Path, name);
        TemporalBundle.Save(bundle, model, Windows, "tiny", inference: inference);
        return TemporalBundle.Load(bundle);
    }

    private static Tensor Matrix(IReadOnlyList<FrameAffect> rows, Func<FrameAffect, IEnumerable<float>> values) =>
        tensor(rows.SelectMany(values).ToArray()).reshape(rows.Count, -1);

    private static async IAsyncEnumerable<RecognizerFrame> Frames(IReadOnlyList<SKBitmap?> images, StrongBox<int>? produced)
    {
        for (int i = 0; i < images.Count; i++)
        {
            await Task.Yield();
            if (produced is not null) produced.Value = i + 1;
            yield return new RecognizerFrame(i + 1, images[i]);
        }
    }
}
