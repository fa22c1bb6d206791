// The video cases: decoding alone, decoding with face finding and cropping (AffectMae.Video's FaceCropPipeline), and
// the whole way from the video file to per-frame affect (VideoAffectRecognizer: the same front end, then the encoder
// in batches and the temporal model's windows), on one video made from Debian's astronaut.png the way the tests make
// theirs, frames/s side by side in one run.
using AffectMae.Models.Mae;
using AffectMae.Models.Pipeline;
using AffectMae.Models.Temporal;
using AffectMae.Video;
using AffectMae.Video.Decoding;
using AffectMae.Video.Faces;
using AffectMae.Video.Recognition;
using AffectMae.Video.Tests;
using OpenCvSharp;

namespace AffectMae.Benchmarks;

internal static partial class Cases
{
    /// <summary>Frames of the benchmark video: 10 s at 25 frames/s.</summary>
    private const int VideoFrames = 250;

    /// <summary>Frame size of the benchmark video (VGA).</summary>
    private static readonly Size VideoSize = new(640, 480);

    /// <summary>Frames of the benchmark video whose face is covered.</summary>
    private static readonly HashSet<int> CoveredFrames = Enumerable.Range(100, 25).ToHashSet();

    /// <summary>The photo panned and scaled over 250 VGA frames (MPEG-4 part 2), face covered in frames 100–124; made once per process, outside the timing.</summary>
    private static string MakeVideo()
    {
        string path = Path.Combine(Path.GetTempPath(), $"affectmae-bench-{System.Environment.ProcessId}.mp4");
        using var photo = Cv2.ImRead(new DebianAssets().Astronaut);
        AstronautVideo.Write(path, photo, VideoFrames, VideoSize, CoveredFrames);
        return path;
    }

    /// <summary>Decoding alone: every frame of the video read and released (VideoFileSource).</summary>
    private static CaseResult VideoDecode(Settings settings, int warmup, int iterations)
    {
        double rssStart = ProcessMemory.ResidentMiB();
        string video = MakeVideo();
        try
        {
            void Body()
            {
                using var source = new VideoFileSource(video);
                int frames = 0;
                foreach (var frame in source.ReadFrames())
                    using (frame)
                        frames++;
                if (frames != VideoFrames) throw new InvalidOperationException($"decoded {frames} frames, expected {VideoFrames}");
            }

            return Measure("video-decode", $"VideoFileSource over {VideoFrames} frames of {VideoSize.Width}×{VideoSize.Height} MPEG-4", VideoFrames, settings,
                warmup, iterations, Body, rssStart, ProcessMemory.ResidentMiB(), median => (ImagesPerSecond: VideoFrames / median, null, null));
        }
        finally
        {
            File.Delete(video);
        }
    }

    /// <summary>
    /// Decode → Haar cascade (whole frame every <paramref name="detectEvery"/> frames, around the face in between) → 112²
    /// crop as SKBitmap, on FaceCropPipeline's three background tasks.
    /// </summary>
    private static CaseResult VideoFaces(int detectEvery, Settings settings, int warmup, int iterations)
    {
        double rssStart = ProcessMemory.ResidentMiB();
        string video = MakeVideo();
        var options = new FacePipelineOptions
        {
            Detector = new FaceDetectorOptions { ModelPath = new DebianAssets().HaarCascade() },
            Tracker = new FaceTrackerOptions { DetectEvery = detectEvery },
        };
        var pipeline = new FaceCropPipeline(options);
        int foundShown = 0, foundCovered = 0;
        try
        {
            void Body()
            {
                using var source = new VideoFileSource(video);
                int rows = 0;
                foundShown = foundCovered = 0;
                foreach (var row in pipeline.Run(source))
                    using (row)
                    {
                        rows++;
                        if (row.FaceFound && CoveredFrames.Contains(row.Index))
                            foundCovered++;
                        else if (row.FaceFound)
                            foundShown++;
                    }
                if (rows != VideoFrames) throw new InvalidOperationException($"{rows} rows, expected {VideoFrames}");
            }

            var result = Measure($"video-faces-k{detectEvery}",
                $"FaceCropPipeline: decode + Haar cascade (whole frame every {detectEvery}) + 112² crops, {VideoFrames} frames of {VideoSize.Width}×{VideoSize.Height}",
                VideoFrames, settings, warmup, iterations, Body, rssStart, ProcessMemory.ResidentMiB(), median => (ImagesPerSecond: VideoFrames / median, null, null));
            Log.Line($"  face found in {foundShown} of the {VideoFrames - CoveredFrames.Count} frames that show it, and in {foundCovered} of the {CoveredFrames.Count} where it is covered");
            return result;
        }
        finally
        {
            File.Delete(video);
        }
    }

    /// <summary>
    /// End to end: <see cref="VideoAffectRecognizer"/> over the same video, the front end of <c>video-faces-k5</c>
    /// (decode → Haar cascade every 5th frame → crop, on background tasks), then the demo preset's encoder (ViT 96-d,
    /// 64² input) in batches of the preset's 128 and its temporal model over windows of 100, stride 25, one row a frame.
    /// The weights are seeded and random: the work does not depend on their values.
    /// </summary>
    private static CaseResult VideoPredict(Settings settings, int warmup, int iterations)
    {
        double rssStart = ProcessMemory.ResidentMiB();
        string video = MakeVideo();
        string bundles = Path.Combine(Path.GetTempPath(), $"affectmae-bench-bundles-{System.Environment.ProcessId}");
        var recipe = AffectMaeRecipe.Demo;
        TorchSharp.torch.manual_seed(0);
        using (var classifier = new MaeClassifier(recipe.ClassifierOptions()))
        using (var sequence = new AffectSequenceModel(recipe.SequenceModelFor(TemporalVariant.Full)))
        {
            var encoder = EncoderBundle.Save(Path.Combine(bundles, "encoder"), classifier, recipe.Normalization, recipe.Name, recipe.FaceCrop);
            TemporalBundle.Save(Path.Combine(bundles, "temporal"), sequence, recipe.Segmentation, recipe.Name, encoder.WeightsSha256);
        }
        using var recognizer = AffectRecognizer.Load(Path.Combine(bundles, "encoder"), Path.Combine(bundles, "temporal"),
            options: new AffectRecognizerOptions { BatchSize = recipe.Inference.EncoderBatchSize });
        var faces = new FacePipelineOptions
        {
            Detector = new FaceDetectorOptions { ModelPath = new DebianAssets().HaarCascade() },
            Tracker = new FaceTrackerOptions { DetectEvery = 5 },
        };
        var pipeline = new VideoAffectRecognizer(recognizer, faces);
        double rssModel = ProcessMemory.ResidentMiB();
        int withFace = 0;
        try
        {
            void Body()
            {
                using var source = new VideoFileSource(video);
                int rows = 0;
                withFace = 0;
                foreach (var row in pipeline.PredictAsync(source).ToBlockingEnumerable())
                {
                    rows++;
                    if (row.FaceFound) withFace++;
                }
                if (rows != VideoFrames) throw new InvalidOperationException($"{rows} rows, expected {VideoFrames}");
            }

            var result = Measure("video-predict-k5",
                $"VideoAffectRecognizer: decode + Haar cascade (whole frame every 5) + crops + demo encoder (batches of {recipe.Inference.EncoderBatchSize}) + temporal model, {VideoFrames} frames of {VideoSize.Width}×{VideoSize.Height}",
                VideoFrames, settings, warmup, iterations, Body, rssStart, rssModel, median => (ImagesPerSecond: VideoFrames / median, null, null));
            Log.Line($"  {withFace} of {VideoFrames} rows with a face ({VideoFrames - CoveredFrames.Count} frames show it)");
            return result;
        }
        finally
        {
            File.Delete(video);
            Directory.Delete(bundles, recursive: true);
        }
    }
}
