// The recognizer's streaming form on long videos: decoded frames in, per-frame results out, with the demo recipe's
// encoder and temporal model (untrained, seeded: the work and the memory do not depend on the weights).
using AffectMae.Models.Mae;
using AffectMae.Models.Pipeline;
using AffectMae.Models.Runtime;
using AffectMae.Models.Temporal;
using SkiaSharp;
using static TorchSharp.torch;

namespace AffectMae.Benchmarks;

internal static partial class Cases
{
    /// <summary>Distinct images the stream cycles through; a decoder would hand out a fresh one each frame.</summary>
    private const int ImagePool = 16;

    /// <summary>
    /// <see cref="AffectRecognizer.PredictStreamAsync"/> over <paramref name="frames"/> frames. Its peak resident memory,
    /// set against the same case on a shorter stream in the same run, shows whether memory grows with the video
    /// (issue 12: one window of features plus the overlap is all the stream may hold).
    /// </summary>
    private static CaseResult RecognizerStream(int frames)
    {
        double rssStart = ProcessMemory.ResidentMiB();
        var recipe = AffectMaeRecipe.Demo;
        string folder = Directory.CreateTempSubdirectory("affectmae-bench-stream-").FullName;
        try
        {
            using (var encoder = new MaeClassifier(recipe.ClassifierOptions()))
            using (var temporal = new AffectSequenceModel(recipe.SequenceModelFor(TemporalVariant.Full)))
            {
                var manifest = EncoderBundle.Save(Path.Combine(folder, "encoder"), encoder, recipe.Normalization, recipe.Name);
                TemporalBundle.Save(Path.Combine(folder, "temporal"), temporal, recipe.Segmentation, recipe.Name, manifest.WeightsSha256);
            }
            using var recognizer = AffectRecognizer.Load(Path.Combine(folder, "encoder"), Path.Combine(folder, "temporal"), CPU);
            var images = Enumerable.Range(0, ImagePool).Select(i => NoiseImage(recipe.ImageSize, i)).ToArray();
            double rssModel = ProcessMemory.ResidentMiB();

            var watch = System.Diagnostics.Stopwatch.StartNew();
            long rows = 0;
            double checksum = 0;
            var trace = new List<MemoryPoint>();
            foreach (var row in recognizer.PredictStreamAsync(Frames(frames, images)).ToBlockingEnumerable())
            {
                rows++;
                checksum += row.Valence;
                if (rows % (frames / 10) == 0)
                {
                    trace.Add(new MemoryPoint((int)rows, ProcessMemory.ResidentMiB(), 0, GC.GetTotalMemory(false) / 1048576.0, watch.Elapsed.TotalSeconds, ProcessMemory.MallocInUseMiB()));
                    Log.Line($"  recognizer-stream-{frames} after {rows} frames: RSS {trace[^1].RssMib:F1} MiB, {rows / watch.Elapsed.TotalSeconds:F0} frames/s");
                }
            }
            double seconds = watch.Elapsed.TotalSeconds;
            foreach (var image in images) image.Dispose();
            if (rows != frames) throw new InvalidOperationException($"the stream gave {rows} rows for {frames} frames");
            return new CaseResult
            {
                Case = $"recognizer-stream-{frames}",
                Work = $"AffectRecognizer.PredictStreamAsync, demo recipe ({recipe.ImageSize} px encoder, windows {recipe.Segmentation.WindowLength}/{recipe.Segmentation.Stride}), {frames} frames (valence sum {checksum:F3})",
                Batch = recognizer.Options.BatchSize,
                Iterations = 1,
                Seconds = [seconds],
                MedianSeconds = seconds,
                MsPerStep = seconds * 1000 / frames,   // per frame
                ImagesPerSecond = frames / seconds,
                RssStartMib = rssStart,
                RssModelMib = rssModel,
                MemoryTrace = trace,
            };
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async IAsyncEnumerable<RecognizerFrame> Frames(int count, SKBitmap[] images)
    {
        for (int frame = 1; frame <= count; frame++)
            yield return new RecognizerFrame(frame, images[frame % images.Length]);
        await Task.CompletedTask;
    }

    private static SKBitmap NoiseImage(int size, int seed)
    {
        var random = new Random(seed);
        var bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var pixels = new byte[size * size * 4];
        random.NextBytes(pixels);
        for (int i = 3; i < pixels.Length; i += 4) pixels[i] = 255;
        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        return bitmap;
    }
}
