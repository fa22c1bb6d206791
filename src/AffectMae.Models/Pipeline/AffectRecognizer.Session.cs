// AffectRecognizer's per-video state: images batched for the encoder, features into the windowed temporal model.
using AffectMae.Core.Data;
using AffectMae.Core.IO;
using AffectMae.Core.Options;
using AffectMae.Metrics;
using AffectMae.Models.Evaluation;
using AffectMae.Models.Features;
using SkiaSharp;
using static TorchSharp.torch;

namespace AffectMae.Models.Pipeline;

public sealed partial class AffectRecognizer
{
    // One video in progress: images wait for a full encoder batch, features go into the windowed temporal model, and
    // each frame comes out as a FrameAffect once final.
    private sealed class Session(AffectRecognizer owner, string video)
    {
        private readonly WindowedInference windows = new(owner.Temporal.Model, owner.Temporal.Segmenter, owner.Inference, owner.Options.WindowBatchSize, owner.Temporal.Device);
        private readonly List<(int Frame, float[]? Pixels)> waiting = [];
        private readonly Queue<(int Frame, bool Face)> pending = new();   // frames given to `windows`, not yet returned
        private int? last;

        public IEnumerable<FrameAffect> AddImage(int frame, SKBitmap? image)
        {
            Follow(frame);
            float[]? pixels = null;
            if (image is not null)
            {
                pixels = new float[owner.Encoder.Transform.OutputLength];
                owner.Encoder.Transform.Apply(image, new Random(0), pixels);
            }
            waiting.Add((frame, pixels));
            return waiting.Count(w => w.Pixels is not null) == owner.Options.BatchSize ? Flush() : [];
        }

        public IEnumerable<FrameAffect> AddFeatures(int frame, float[]? features)
        {
            Follow(frame);
            CheckFinite(frame, features);
            pending.Enqueue((frame, features is not null));
            return Convert(windows.Add(features));
        }

        public IEnumerable<FrameAffect> Complete()
        {
            var rows = Flush().ToList();
            rows.AddRange(Convert(windows.Complete()));
            return rows;
        }

        private List<FrameAffect> Flush()
        {
            var present = waiting.Where(w => w.Pixels is not null).ToList();
            float[] features = [];
            if (present.Count > 0)
            {
                int length = owner.Encoder.Transform.OutputLength;
                var pixels = new float[(long)present.Count * length];
                for (int i = 0; i < present.Count; i++) present[i].Pixels!.CopyTo(pixels, (long)i * length);
                features = Encode(pixels, present.Count);
            }
            var rows = new List<FrameAffect>();
            int dimension = owner.Encoder.FeatureDim, row = 0;
            foreach (var (frame, pixels) in waiting)
            {
                var frameFeatures = pixels is null ? null : features.AsSpan(row++ * dimension, dimension).ToArray();
                CheckFinite(frame, frameFeatures);
                pending.Enqueue((frame, pixels is not null));
                rows.AddRange(Convert(windows.Add(frameFeatures)));
            }
            waiting.Clear();
            return rows;
        }

        // A NaN would spread through every window that holds the frame and come out as plausible-looking rows.
        private void CheckFinite(int frame, float[]? features)
        {
            if (features is null) return;
            int at = Data.FiniteValues.IndexOfNonFinite(features);
            if (at >= 0)
                throw new InvalidDataException($"{PrintableText.Quote(video)}, frame {frame}: feature {at} is {features[at]}; the temporal model takes finite features only "
                    + "(a NaN or infinite feature comes from non-finite encoder weights or input).");
        }

        private float[] Encode(float[] pixels, int count)
        {
            int side = owner.Encoder.Transform.Side;
            using var _ = no_grad();
            using var pause = Runtime.CollectionPause.Begin();
            using var scope = NewDisposeScope();
            var images = tensor(pixels, [count, 3, side, side]).to(owner.Encoder.Device);
            return owner.Features(images);
        }

        private void Follow(int frame)
        {
            if (last is { } previous && frame != previous + 1)
                throw new ArgumentException($"Frame {frame} follows frame {previous}; frames must come one number at a time (mark frames without a face with a null image).", nameof(frame));
            last = frame;
        }

        private IEnumerable<FrameAffect> Convert(IReadOnlyList<FrameOutputs> outputs)
        {
            var rows = new List<FrameAffect>(outputs.Count);
            foreach (var output in outputs)
            {
                var (frame, face) = pending.Dequeue();
                rows.Add(face ? owner.ToAffect(frame, output) : FrameAffect.NoFace(frame));
            }
            return rows;
        }
    }

    private FrameAffect ToAffect(int frame, FrameOutputs output)
    {
        float valence = output.ValenceArousal?[0] ?? float.NaN, arousal = output.ValenceArousal?[1] ?? float.NaN;
        float[] probabilities = output.ExpressionLogits is { } logits ? Softmax(logits) : [];
        int expression = output.Expression ?? -1;
        float[] units = output.ActionUnitLogits?.Select(l => (float)(1 / (1 + Math.Exp(-l)))).ToArray() ?? [];
        var thresholds = Temporal.ActionUnitThresholds;
        bool[] decisions = [.. units.Select((p, j) => VideoPredictions.Decide(p, thresholds[j], Inference.ActionUnitRule))];
        if (float.IsNaN(valence) && output.ValenceArousal is not null || probabilities.Any(float.IsNaN) || units.Any(float.IsNaN))
            throw new InvalidOperationException($"The temporal model gave NaN for frame {frame}; check the encoder's features and the weights.");
        return new FrameAffect(frame, true, valence, arousal, expression, probabilities, units, decisions);
    }

    private static float[] Softmax(float[] logits)
    {
        double max = logits.Max();
        var exp = logits.Select(l => Math.Exp(l - max)).ToArray();
        double sum = exp.Sum();
        return [.. exp.Select(e => (float)(e / sum))];
    }
}
