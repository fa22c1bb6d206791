// The cases of issue 14 that run the library's own loops rather than a module: extraction from JPEG files on disk
// (FrameEncoder, decoding on background threads) against the model alone, and temporal prediction streamed over a long
// video (AffectRecognizer.PredictFeatureStream, the windowed engine) at two lengths.
using System.Diagnostics;
using AffectMae.Models.Data;
using AffectMae.Models.Features;
using AffectMae.Models.Mae;
using AffectMae.Models.Pipeline;
using AffectMae.Models.Runtime;
using AffectMae.Models.Temporal;
using AffectMae.Core.Segmentation;
using SkiaSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace AffectMae.Benchmarks;

internal static partial class Cases
{
    /// <summary>Frames of the short video of predict-long: 6 minutes at 30 frames/s.</summary>
    private const int ShortVideoFrames = 10_800;

    /// <summary>Frames of the long video of predict-long: 1 hour at 30 frames/s.</summary>
    private const int LongVideoFrames = 108_000;

    /// <summary>JPEG files extract-e2e reads, a multiple of both batch sizes.</summary>
    private const int EndToEndImages = 64;

    /// <summary>
    /// extract-e2e: ViT-B/16 features of <see cref="EndToEndImages"/> JPEG files on disk (112×112, the size of
    /// Aff-Wild2's cropped-aligned frames) through <see cref="FrameEncoder"/> — decode, bicubic resize to 224,
    /// ImageNet normalisation on 2 background threads, the model on the calling thread — against the model alone on
    /// a ready tensor, the same batches and precision. The two run interleaved, round by round, alternating which goes
    /// first; the ratio is taken within each round and its median reported.
    /// </summary>
    private static CaseResult ExtractEndToEnd(int batch, InferencePrecision precision, Settings settings, int warmup, int iterations)
    {
        warmup = settings.Warmup ?? warmup;
        iterations = settings.Iterations ?? iterations;
        double rssStart = ProcessMemory.ResidentMiB();
        using var model = new MaeClassifier(new MaeClassifierOptions { Encoder = MaeViTOptions.Base16Dec512D8 });
        var choice = model.UseInferencePrecision(precision);
        Log.Line($"  precision: {choice}");
        string folder = Directory.CreateTempSubdirectory("affectmae-bench-jpeg-").FullName;
        try
        {
            var paths = Enumerable.Range(0, EndToEndImages).Select(i => WriteFaceLikeJpeg(Path.Combine(folder, $"{i + 1:D5}.jpg"), i)).ToList();
            var transform = ImageTransform.Eval(224, new NormalizationOptions().ToNormalization());
            var loop = new FrameEncoder(model, transform, batch, CPU, decodeWorkers: 2);
            using var images = randn(batch, 3, 224, 224);
            double rssModel = ProcessMemory.ResidentMiB();

            double ModelOnly()
            {
                var watch = Stopwatch.StartNew();
                for (int k = 0; k < EndToEndImages / batch; k++)
                {
                    using var _ = no_grad();
                    using var pause = CollectionPause.Begin();
                    using var scope = NewDisposeScope();
                    using var values = model.ExtractFeatures(images).cpu();   // the features leave the device, as FrameEncoder's do
                    if (values.shape[1] != 768) throw new InvalidOperationException("unexpected feature size");
                }
                return watch.Elapsed.TotalSeconds;
            }

            double EndToEnd()
            {
                var watch = Stopwatch.StartNew();
                var features = loop.Encode(paths);
                if (features.Length != EndToEndImages * 768) throw new InvalidOperationException("unexpected feature count");
                return watch.Elapsed.TotalSeconds;
            }

            double DecodeOnly()   // one thread: what the two workers must keep up with
            {
                var watch = Stopwatch.StartNew();
                var pixels = new float[transform.OutputLength];
                foreach (var path in paths)
                {
                    using var bitmap = ImageDecoder.Decode(path);
                    transform.Apply(bitmap, new Random(0), pixels);
                }
                return watch.Elapsed.TotalSeconds;
            }

            for (int i = 0; i < warmup; i++)
                Log.Line($"  warm-up {i + 1}/{warmup}: model only {ModelOnly():F3} s, end to end {EndToEnd():F3} s");
            string loadBefore = LoadAverage.Read();
            var cpuStart = CpuSnapshot.Take();
            var modelOnly = new double[iterations];
            var endToEnd = new double[iterations];
            for (int r = 0; r < iterations; r++)
            {
                if (r % 2 == 0) { modelOnly[r] = ModelOnly(); endToEnd[r] = EndToEnd(); }
                else { endToEnd[r] = EndToEnd(); modelOnly[r] = ModelOnly(); }
                Log.Line($"  round {r + 1}/{iterations}: model only {EndToEndImages / modelOnly[r]:F2} images/s, end to end {EndToEndImages / endToEnd[r]:F2} images/s, ratio {modelOnly[r] / endToEnd[r]:F3}");
            }
            var cpuEnd = CpuSnapshot.Take();
            double decode = DecodeOnly();
            Log.Line($"  decode + resize + normalise on one thread: {1000 * decode / EndToEndImages:F2} ms an image");
            string suffix = precision == InferencePrecision.Float32 ? "" : "-bf16";
            return new CaseResult
            {
                Case = $"extract-e2e-b{batch}{suffix}",
                Work = $"FrameEncoder over {EndToEndImages} JPEG files (112², decode + resize to 224 + normalise on 2 background threads) + MaeClassifier(ViT-B/16), batch {batch}, {choice}; against the model alone on a ready [{batch}, 3, 224, 224] tensor",
                Batch = batch,
                Warmup = warmup,
                Iterations = iterations,
                Seconds = endToEnd,
                MedianSeconds = Timing.Median(endToEnd),
                ImagesPerSecond = EndToEndImages / Timing.Median(endToEnd),
                GflopsPerSecond = EndToEndImages * GflopPerImage / Timing.Median(endToEnd),
                RssStartMib = rssStart,
                RssModelMib = rssModel,
                OwnCores = cpuEnd.OwnCoresSince(cpuStart),
                ForeignCores = cpuEnd.ForeignCoresSince(cpuStart),
                LoadAverageBefore = loadBefore,
                LoadAverageAfter = LoadAverage.Read(),
                Extra = new Dictionary<string, double>
                {
                    ["model_only_images_per_second"] = EndToEndImages / Timing.Median(modelOnly),
                    ["end_to_end_images_per_second"] = EndToEndImages / Timing.Median(endToEnd),
                    ["end_to_end_over_model_only"] = Timing.Median([.. modelOnly.Zip(endToEnd, (m, e) => m / e)]),
                    ["decode_ms_per_image_one_thread"] = 1000 * decode / EndToEndImages,
                },
            };
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A 112×112 JPEG (quality 95) of smooth shading with a face-sized ellipse and a little noise, different for each <paramref name="k"/>.</summary>
    private static string WriteFaceLikeJpeg(string path, int k)
    {
        var random = new Random(k);
        using var bitmap = new SKBitmap(new SKImageInfo(112, 112, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (int y = 0; y < 112; y++)
        {
            for (int x = 0; x < 112; x++)
            {
                double dx = (x - 56) / 40.0, dy = (y - 60) / 52.0;
                double face = dx * dx + dy * dy < 1 ? 1 : 0;
                int noise = random.Next(-12, 13);
                byte R(double v) => (byte)Math.Clamp(v + noise, 0, 255);
                bitmap.SetPixel(x, y, new SKColor(R(60 + 150 * face + x * 0.3 + k), R(50 + 110 * face + y * 0.4), R(40 + 90 * face + (x + y) * 0.2)));
            }
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 95);
        File.WriteAllBytes(path, data.ToArray());
        return path;
    }

    /// <summary>
    /// predict-long: the temporal model's prediction streamed over one video's features through the library's windowed
    /// engine (<see cref="AffectRecognizer.PredictFeatureStream"/>: windows of 300 with stride 200, 8 windows a
    /// model call, overlaps averaged), with AffectSequenceModel(Base768D512) at <paramref name="precision"/>, on
    /// 10,800 frames (6 minutes at 30 frames/s) and on 108,000 (1 hour), 768 features a frame. Order: a warm-up of
    /// 10,800 frames (a shorter one left the first timed video still speeding up), 10,800, 108,000, 10,800 again;
    /// reported: ms a frame of each, the slowest and fastest tenth of the hour against its mean, and the growth of the
    /// peak resident set from after the first 10,800-frame video to after the hour (the features stream in from a pool
    /// of 600 rows, so the input itself holds no memory). Wall time moves with the other processes on a shared machine,
    /// so the CPU time of this process a frame is reported too.
    /// </summary>
    private static CaseResult PredictLong(InferencePrecision precision, Settings settings)
    {
        double rssStart = ProcessMemory.ResidentMiB();
        string folder = Directory.CreateTempSubdirectory("affectmae-bench-long-").FullName;
        try
        {
            manual_seed(0);
            ModelManifest encoderManifest;
            using (var mae = new MaeViT(new MaeViTOptions { ImageSize = 32, PatchSize = 16, EmbedDim = 768, Depth = 1, NumHeads = 12, DecoderEmbedDim = 64, DecoderDepth = 1, DecoderNumHeads = 4 }))
                encoderManifest = EncoderBundle.Save(Path.Combine(folder, "encoder"), mae, new NormalizationOptions(), "bench");   // only its width matters here
            using (var temporal = new AffectSequenceModel(AffectSequenceModelOptions.Base768D512))
                TemporalBundle.Save(Path.Combine(folder, "temporal"), temporal, new SegmentationOptions(), "bench", encoderManifest.WeightsSha256);
            using var recognizer = AffectRecognizer.Load(Path.Combine(folder, "encoder"), Path.Combine(folder, "temporal"),
                options: new AffectRecognizerOptions { WindowBatchSize = 8, Precision = precision });
            Log.Line($"  precision: {recognizer.Precision}");
            var random = new Random(0);
            var pool = Enumerable.Range(0, 600).Select(_ => Enumerable.Range(0, 768).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray()).ToArray();
            double rssModel = ProcessMemory.ResidentMiB();
            var trace = new List<MemoryPoint>();

            var cpu = new Dictionary<int, double>();   // this process's CPU seconds of each run, by run length (the last run of a length)
            double Run(int frames, bool traced)
            {
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                int done = 0;
                foreach (var row in recognizer.PredictFeatureStream(Enumerable.Range(0, frames).Select(f => (float[]?)pool[f % pool.Length])))
                {
                    if (row.Frame != ++done) throw new InvalidOperationException($"frame {row.Frame} came out as the {done}th");
                    if (traced && done % ShortVideoFrames == 0)
                    {
                        var point = new MemoryPoint(done, ProcessMemory.ResidentMiB(), DisposeScopeManager.Statistics.ThreadTotalLiveCount,
                            GC.GetTotalMemory(false) / 1048576.0, watch.Elapsed.TotalSeconds, ProcessMemory.MallocInUseMiB());
                        trace.Add(point);
                        Log.Line($"  after frame {done}: RSS {point.RssMib:F1} MiB, malloc in use {point.MallocInUseMib:F1} MiB, live tensors {point.LiveTensors}, {point.StepSeconds:F1} s");
                    }
                }
                if (done != frames) throw new InvalidOperationException($"{done} of {frames} frames came out");
                double seconds = watch.Elapsed.TotalSeconds;
                double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
                cpu[frames] = cpu.GetValueOrDefault(frames) + cpuSeconds;
                Log.Line($"  {frames} frames: {seconds:F2} s, {1000 * seconds / frames:F4} ms a frame; CPU {1000 * cpuSeconds / frames:F4} ms a frame");
                return seconds;
            }

            Run(ShortVideoFrames, traced: false);
            cpu.Clear();
            string loadBefore = LoadAverage.Read();
            var cpuStart = CpuSnapshot.Take();
            double shortFirst = Run(ShortVideoFrames, traced: false);
            double peakAfterShort = ProcessMemory.PeakResidentMiB();
            double hour = Run(LongVideoFrames, traced: true);
            double peakAfterLong = ProcessMemory.PeakResidentMiB();
            double shortAgain = Run(ShortVideoFrames, traced: false);
            var cpuEnd = CpuSnapshot.Take();
            double shortPerFrame = (shortFirst + shortAgain) / 2 / ShortVideoFrames, longPerFrame = hour / LongVideoFrames;
            var tenths = trace.Select((point, i) => point.StepSeconds - (i == 0 ? 0 : trace[i - 1].StepSeconds)).ToList();   // each tenth of the hour
            string suffix = precision == InferencePrecision.Float32 ? "" : "-bf16";
            return new CaseResult
            {
                Case = $"predict-long{suffix}",
                Work = $"AffectRecognizer.PredictFeatureStream, AffectSequenceModel(Base768D512), windows 300/200 averaged, 8 windows a call, {recognizer.Precision}; 10,800, 108,000, 10,800 frames × 768 features",
                Batch = 8,
                Warmup = 1,
                Iterations = 3,
                Seconds = [shortFirst, hour, shortAgain],
                MedianSeconds = hour,
                ImagesPerSecond = LongVideoFrames / hour,
                MsPerStep = 1000 * longPerFrame,
                RssStartMib = rssStart,
                RssModelMib = rssModel,
                OwnCores = cpuEnd.OwnCoresSince(cpuStart),
                ForeignCores = cpuEnd.ForeignCoresSince(cpuStart),
                LoadAverageBefore = loadBefore,
                LoadAverageAfter = LoadAverage.Read(),
                MemoryTrace = trace,
                Extra = new Dictionary<string, double>
                {
                    ["short_ms_per_frame"] = 1000 * shortPerFrame,
                    ["long_ms_per_frame"] = 1000 * longPerFrame,
                    ["long_over_short_time_per_frame"] = longPerFrame / shortPerFrame,
                    ["short_cpu_ms_per_frame"] = 1000 * cpu[ShortVideoFrames] / 2 / ShortVideoFrames,
                    ["long_cpu_ms_per_frame"] = 1000 * cpu[LongVideoFrames] / LongVideoFrames,
                    ["long_over_short_cpu_per_frame"] = cpu[LongVideoFrames] / LongVideoFrames / (cpu[ShortVideoFrames] / 2 / ShortVideoFrames),
                    ["slowest_tenth_of_hour_over_mean"] = tenths.Max() / tenths.Average(),
                    ["fastest_tenth_of_hour_over_mean"] = tenths.Min() / tenths.Average(),
                    ["peak_rss_after_short_mib"] = peakAfterShort,
                    ["peak_rss_after_long_mib"] = peakAfterLong,
                    ["peak_rss_growth_mib"] = peakAfterLong - peakAfterShort,
                },
            };
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
