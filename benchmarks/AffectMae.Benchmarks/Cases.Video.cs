// The video cases: decoding alone, and decoding with face finding and cropping (AffectMae.Video's FaceCropPipeline),
// on one video made from Debian's astronaut.png the way the tests make theirs, frames/s side by side in one run.
using AffectMae.Video;
using AffectMae.Video.Decoding;
using AffectMae.Video.Faces;
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
}
