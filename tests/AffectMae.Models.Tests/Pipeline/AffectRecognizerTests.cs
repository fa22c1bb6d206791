using AffectMae.Core.Segmentation;
using AffectMae.Models.Data;
using AffectMae.Models.Evaluation;
using AffectMae.Models.Features;
using AffectMae.Models.Pipeline;
using AffectMae.Models.Runtime;
using SkiaSharp;

namespace AffectMae.Models.Tests.Pipeline;

[Collection(GlobalRngCollection.Name)]
public sealed class AffectRecognizerTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("affectmae-recognizer-").FullName;
    private readonly string encoderFolder, temporalFolder;

    public AffectRecognizerTests() => (encoderFolder, temporalFolder) = TinyModels.SaveBundles(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private AffectRecognizer Recognizer(AffectRecognizerOptions? options = null) =>
        AffectRecognizer.Load(encoderFolder, temporalFolder, options: options ?? new AffectRecognizerOptions { BatchSize = 5, WindowBatchSize = 3 });

    [Fact]
    public void Frames_keep_the_numbers_in_their_names_in_numeric_order_and_gaps_become_rows_without_a_face()
    {
        string frames = Path.Combine(folder, "clip");
        foreach (int k in new[] { 1, 2, 3, 10, 11, 12 })
            TinyModels.WriteFrame(Path.Combine(frames, $"{k}.png"), k);    // ordinal name order would be 1, 10, 11, 12, 2, 3

        using var recognizer = Recognizer();
        var video = recognizer.PredictFolder(frames);

        video.Video.Should().Be("clip");
        video.Frames.Select(f => f.Frame).Should().Equal(Enumerable.Range(1, 12));
        video.MissingFrames.Should().Equal(4, 5, 6, 7, 8, 9);
        video.Frames.Where(f => !f.FaceFound).Select(f => f.Frame).Should().Equal(4, 5, 6, 7, 8, 9);
        video.Frames.Where(f => !f.FaceFound).Should().OnlyContain(f => float.IsNaN(f.Valence) && f.Expression == -1 && f.ActionUnits.Count == 0);
        video.Frames.Where(f => f.FaceFound).Should().OnlyContain(f => f.Valence >= -1 && f.Valence <= 1 && f.ExpressionProbabilities.Count == 8 && f.ActionUnits.Count == 12);

        // The same frames as decoded images, gaps as null: the same numbers, bit for bit.
        var images = Enumerable.Range(1, 12).Select(k => k is >= 4 and <= 9 ? null : TinyModels.Frame(k)).ToList();
        var same = recognizer.PredictImages(images);
        same.Frames.Select(f => (f.Valence, f.Arousal, f.Expression)).Should().Equal(video.Frames.Select(f => (f.Valence, f.Arousal, f.Expression)));
        same.Frames.SelectMany(f => f.ActionUnitProbabilities).Should().Equal(video.Frames.SelectMany(f => f.ActionUnitProbabilities));
        foreach (var image in images) image?.Dispose();
    }

    [Fact]
    public void Two_images_for_one_frame_are_refused_naming_both_and_gaps_can_be_refused()
    {
        string twice = Path.Combine(folder, "twice");
        TinyModels.WriteFrame(Path.Combine(twice, "00003.jpg"), 3);
        TinyModels.WriteFrame(Path.Combine(twice, "3.png"), 3);
        string gappy = Path.Combine(folder, "gappy");
        TinyModels.WriteFrame(Path.Combine(gappy, "00001.png"), 1);
        TinyModels.WriteFrame(Path.Combine(gappy, "00004.png"), 4);
        using var recognizer = Recognizer(new AffectRecognizerOptions { Gaps = FrameGapPolicy.Refuse });

        var duplicate = () => recognizer.PredictFolder(twice);
        var gaps = () => recognizer.PredictFolder(gappy);

        duplicate.Should().Throw<InvalidDataException>().WithMessage("*two images for frame 3: '00003.jpg' and '3.png'*");
        gaps.Should().Throw<InvalidDataException>().WithMessage("*no image for frames 2, 3;*");
    }

    [Fact]
    public void The_stream_equals_the_folder_bit_for_bit_on_a_2000_frame_video()
    {
        string frames = Path.Combine(folder, "long");
        for (int k = 1; k <= 2000; k++)
            if (k % 97 != 0) TinyModels.WriteFrame(Path.Combine(frames, $"{k:D5}.png"), k);   // with frames lacking a face
        using var recognizer = Recognizer(new AffectRecognizerOptions { BatchSize = 64, WindowBatchSize = 8 });

        var batch = recognizer.PredictFolder(frames).Frames;
        var streamed = recognizer.PredictStreamAsync(Frames(frames)).ToBlockingEnumerable().ToList();

        streamed.Should().HaveCount(2000);
        streamed.Select(f => (f.Frame, f.FaceFound)).Should().Equal(batch.Select(f => (f.Frame, f.FaceFound)));
        streamed.Select(f => (f.Valence, f.Arousal)).Should().Equal(batch.Select(f => (f.Valence, f.Arousal)));
        streamed.SelectMany(f => f.ExpressionProbabilities).Should().Equal(batch.SelectMany(f => f.ExpressionProbabilities));
        streamed.SelectMany(f => f.ActionUnitProbabilities).Should().Equal(batch.SelectMany(f => f.ActionUnitProbabilities));
    }

    private static async IAsyncEnumerable<RecognizerFrame> Frames(string folder)
    {
        await Task.Yield();
        for (int k = 1; k <= 2000; k++)
        {
            string path = Path.Combine(folder, $"{k:D5}.png");
            using var image = File.Exists(path) ? ImageDecoder.Decode(path) : null;
            yield return new RecognizerFrame(k, image);   // read before the next frame is asked for, then disposed
        }
    }

    [Fact]
    public void A_stream_of_feature_rows_equals_the_feature_matrix_and_checks_each_rows_width()
    {
        // 53 frames, windows of 12 with stride 4, every 7th frame without a face.
        var random = new Random(5);
        var features = Enumerable.Range(0, 53 * 64).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var faces = Enumerable.Range(0, 53).Select(f => f % 7 != 3).ToList();
        using var recognizer = Recognizer();

        var matrix = recognizer.PredictFeatures(features, faces).Frames;
        var streamed = recognizer.PredictFeatureStream(Enumerable.Range(0, 53).Select(f => faces[f] ? features.AsSpan(f * 64, 64).ToArray() : null)).ToList();
        var narrow = () => recognizer.PredictFeatureStream([new float[64], new float[63]]).ToList();

        streamed.Should().BeEquivalentTo(matrix, o => o.WithStrictOrdering());
        narrow.Should().Throw<ArgumentException>().WithMessage("Frame 2 has 63 features but the encoder * gives 64.*");
    }

    [Fact]
    public void A_recognizer_in_bfloat16_agrees_with_float32_and_says_what_it_runs_in()
    {
        // 37 frames, windows of 12 with stride 4, random features: only the temporal model's precision differs here, so
        // the outputs move by bfloat16's rounding (a relative 2⁻⁹ a step), far below 0.02.
        var random = new Random(4);
        var features = Enumerable.Range(0, 37 * 64).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        using var reference = Recognizer();
        using var reduced = Recognizer(new AffectRecognizerOptions { BatchSize = 5, WindowBatchSize = 3, Precision = InferencePrecision.BFloat16 });

        var expected = reference.PredictFeatures(features).Frames;
        var actual = reduced.PredictFeatures(features).Frames;

        reference.Precision.Precision.Should().Be(InferencePrecision.Float32, "float32 is what the bundle records");
        reduced.Precision.Precision.Should().Be(InferencePrecision.BFloat16);
        reduced.Encoder.FeatureProvenance.Precision.Should().Be("bfloat16");
        for (int f = 0; f < 37; f++)
        {
            actual[f].Valence.Should().BeApproximately(expected[f].Valence, 0.02f);
            actual[f].Arousal.Should().BeApproximately(expected[f].Arousal, 0.02f);
            for (int c = 0; c < 8; c++)
                actual[f].ExpressionProbabilities[c].Should().BeApproximately(expected[f].ExpressionProbabilities[c], 0.02f);
            for (int j = 0; j < 12; j++)
                actual[f].ActionUnitProbabilities[j].Should().BeApproximately(expected[f].ActionUnitProbabilities[j], 0.02f);
        }
        actual.Select(f => f.Valence).Should().NotEqual(expected.Select(f => f.Valence), "the temporal model really ran in bfloat16");
    }

    [Fact]
    public void Windowed_inference_gives_the_stitched_predictions_of_the_evaluator()
    {
        // 37 frames, windows of 12 with stride 4: ⌊37/4⌋ + 1 = 10 windows; each frame averaged over the 1 to 3 that cover it.
        var random = new Random(3);
        var features = Enumerable.Range(0, 37 * 64).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        using var recognizer = Recognizer();
        var dataset = new FeatureWindowDataset([new VideoFeatures("v", features, 64)], new VideoSegmenter(TinyModels.Segmentation()));

        var ours = recognizer.PredictFeatures(features).Frames;
        var stitched = TemporalEvaluator.Predict(recognizer.Temporal.Model, dataset, batchSize: 4).Single();

        for (int f = 0; f < 37; f++)
        {
            ours[f].Valence.Should().BeApproximately(stitched.ValenceArousal![2 * f], 1e-6f);
            ours[f].Arousal.Should().BeApproximately(stitched.ValenceArousal[2 * f + 1], 1e-6f);
            var logits = stitched.ExpressionLogits!.AsSpan(8 * f, 8).ToArray();
            double max = logits.Max(), sum = logits.Sum(l => Math.Exp(l - max));
            for (int c = 0; c < 8; c++)
                ours[f].ExpressionProbabilities[c].Should().BeApproximately((float)(Math.Exp(logits[c] - max) / sum), 1e-6f);
            for (int j = 0; j < 12; j++)
                ours[f].ActionUnitProbabilities[j].Should().BeApproximately(stitched.ActionUnitProbabilities![12 * f + j], 1e-6f);
        }
    }

    [Fact]
    public void A_frame_without_a_face_is_padding_to_the_model_whatever_its_row_holds()
    {
        var random = new Random(4);
        var features = Enumerable.Range(0, 30 * 64).Select(_ => (float)random.NextDouble()).ToArray();
        var faces = Enumerable.Range(0, 30).Select(f => f is not (7 or 8 or 20)).ToArray();
        var garbage = (float[])features.Clone();
        foreach (int f in new[] { 7, 8, 20 }) Array.Fill(garbage, 1e3f, f * 64, 64);
        using var recognizer = Recognizer();

        var clean = recognizer.PredictFeatures(features, faces).Frames;
        var dirty = recognizer.PredictFeatures(garbage, faces).Frames;

        dirty.Select(f => f.Valence).Should().Equal(clean.Select(f => f.Valence));
        dirty.SelectMany(f => f.ActionUnitProbabilities).Should().Equal(clean.SelectMany(f => f.ActionUnitProbabilities));
        clean.Where(f => !f.FaceFound).Select(f => f.Frame).Should().Equal(8, 9, 21);
    }

    [Fact]
    public void Frames_far_from_any_face_come_out_without_values_and_the_stream_refuses_a_skipped_number()
    {
        using var recognizer = Recognizer();
        var images = Enumerable.Range(0, 40).Select(k => k < 3 ? TinyModels.Frame(k) : (SKBitmap?)null).ToList();

        var video = recognizer.PredictImages(images).Frames;
        var skipped = () => recognizer.PredictStreamAsync(Skipping()).ToBlockingEnumerable().ToList();

        video.Take(3).Should().OnlyContain(f => f.FaceFound && !float.IsNaN(f.Valence));
        video.Skip(3).Should().OnlyContain(f => !f.FaceFound && float.IsNaN(f.Valence));
        skipped.Should().Throw<ArgumentException>().WithMessage("Frame 3 follows frame 1*");
        foreach (var image in images) image?.Dispose();
    }

    [Fact]
    public void A_non_finite_feature_is_refused_naming_the_video_frame_and_feature_but_not_on_a_frame_without_a_face()
    {
        var features = new float[12 * 64];
        features[5 * 64 + 17] = float.NaN;                         // frame 6, feature 17
        using var recognizer = Recognizer();

        var predict = () => recognizer.PredictFeatures(features, video: "clip\u001B");

        predict.Should().Throw<InvalidDataException>().WithMessage("\"clip\\u001B\", frame 6: feature 17 is NaN; the temporal model takes finite features only*");
        recognizer.PredictFeatures(features, [.. Enumerable.Range(0, 12).Select(f => f != 5)]).Frames.Should().HaveCount(12, "a frame without a face is not read");
    }

    [Fact]
    public void An_image_that_cannot_be_decoded_fails_naming_it_or_becomes_a_frame_without_a_face()
    {
        string frames = Path.Combine(folder, "broken");
        for (int k = 1; k <= 8; k++) TinyModels.WriteFrame(Path.Combine(frames, $"{k:D5}.png"), k);
        string broken = Path.Combine(frames, "00004.png");
        File.WriteAllBytes(broken, [0x89, (byte)'P', (byte)'N', (byte)'G']);   // a truncated PNG

        using (var failing = Recognizer())
        {
            var predict = () => failing.PredictFolder(frames);
            predict.Should().Throw<InvalidDataException>().WithMessage($"*{broken}*");
        }

        using var skipping = Recognizer(new AffectRecognizerOptions { BatchSize = 5, WindowBatchSize = 3, BadFrames = BadFramePolicy.Skip });
        var video = skipping.PredictFolder(frames);
        video.Frames.Select(f => f.Frame).Should().Equal(Enumerable.Range(1, 8), "a bad frame keeps its row");
        video.Frames.Where(f => !f.FaceFound).Select(f => f.Frame).Should().Equal(4);
        video.BadFrames.Should().ContainSingle().Which.Should().Match<BadFrame>(b => b.Index == 4 && b.Path == broken);

        // The same files listed by path, the broken one among them: the same rows, numbered 1, 2, … in the list's order.
        var listed = skipping.PredictFiles([.. Enumerable.Range(1, 8).Select(k => Path.Combine(frames, $"{k:D5}.png"))], "listed");
        listed.Frames.Select(f => (f.Frame, f.FaceFound, f.Valence, f.Expression)).Should().Equal(video.Frames.Select(f => (f.Frame, f.FaceFound, f.Valence, f.Expression)));
        listed.BadFrames.Select(b => b.Path).Should().Equal(broken);
    }

    private static async IAsyncEnumerable<RecognizerFrame> Skipping()
    {
        await Task.Yield();
        yield return new RecognizerFrame(1, null);
        yield return new RecognizerFrame(3, null);
    }
}
