using AffectMae.Video.Cropping;
using AffectMae.Video.Decoding;
using AffectMae.Video.Faces;
using OpenCvSharp;
using SkiaSharp;
using Xunit.Abstractions;

namespace AffectMae.Video.Tests;

[Collection(DebianAssetsCollection.Name)]
public sealed class PipelineTests(DebianAssets assets, ITestOutputHelper output) : IDisposable
{
    private const int FrameCount = 40;
    private static readonly Size FrameSize = new(320, 240);
    private static readonly HashSet<int> Covered = [14, 15, 16, 17, 18, 19];
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private string PannedVideo()
    {
        string path = temp.File("panned.mp4");
        using var photo = Cv2.ImRead(assets.Astronaut);
        AstronautVideo.Write(path, photo, FrameCount, FrameSize, Covered);
        return path;
    }

    private FacePipelineOptions Options(int detectEvery) => new()
    {
        Detector = new FaceDetectorOptions { Kind = FaceDetectorKind.Cascade, ModelPath = assets.HaarCascade() },
        Tracker = new FaceTrackerOptions { DetectEvery = detectEvery },
        QueueCapacity = 4,
    };

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void Every_frame_gets_a_row_and_the_face_is_found_where_the_video_put_it(int detectEvery)
    {
        using var source = new VideoFileSource(PannedVideo());
        var pipeline = new FaceCropPipeline(Options(detectEvery));
        var rows = new List<(int Index, bool Found, FaceBox? Box, bool HasCrop)>();
        foreach (var row in pipeline.Run(source))
            using (row)
                rows.Add((row.Index, row.FaceFound, row.Box, row.Crop is not null));

        rows.Select(r => r.Index).Should().Equal(Enumerable.Range(0, FrameCount));
        source.Summary!.DecodedFrames.Should().Be(FrameCount);
        var ious = new List<double>();
        foreach (var (index, found, box, hasCrop) in rows)
        {
            if (Covered.Contains(index))
            {
                found.Should().BeFalse($"frame {index} has the face covered");
                box.Should().BeNull();
                hasCrop.Should().BeFalse();
                continue;
            }
            found.Should().BeTrue($"frame {index} shows the face");
            hasCrop.Should().BeTrue();
            var truth = AstronautVideo.ToFrame(AstronautVideo.PhotoFace, AstronautVideo.Placement(index, FrameCount, FrameSize));
            ious.Add(box!.Value.IntersectionOverUnion(truth));
        }
        output.WriteLine($"DetectEvery {detectEvery}: IoU min {ious.Min():F3}, mean {ious.Average():F3} over {ious.Count} uncovered frames");
        ious.Should().OnlyContain(iou => iou >= 0.5);
    }

    [Fact]
    public void Each_crop_shows_what_the_crop_rule_cuts_from_the_photo_at_the_reported_box()
    {
        using var source = new VideoFileSource(PannedVideo());
        using var photo = ImageCompare.Decode(assets.Astronaut);
        var pipeline = new FaceCropPipeline(Options(detectEvery: 5));
        var differences = new List<double>();
        foreach (var row in pipeline.Run(source))
            using (row)
            {
                if (!row.FaceFound)
                    continue;
                row.Crop!.Info.Should().Be(new SKImageInfo(112, 112, SKColorType.Rgba8888, SKAlphaType.Unpremul));
                // Independently of OpenCV: the rule's square (side 1.5 · longer box side, centred on the box) taken back
                // into the photo through the frame's known placement, drawn by Skia from the PNG.
                var box = row.Box!.Value;
                var placement = AstronautVideo.Placement(row.Index, FrameCount, FrameSize);
                var inPhoto = AstronautVideo.ToPhoto(box, placement);
                using var expected = ImageCompare.SkiaCrop(photo, inPhoto.CenterX, inPhoto.CenterY, 1.5 * Math.Max(inPhoto.Width, inPhoto.Height), 112);
                differences.Add(ImageCompare.MeanAbsoluteRgbDifference(row.Crop, expected));
            }
        output.WriteLine($"mean |Δ| of {differences.Count} crops against Skia crops of the photo: max {differences.Max():F2}, mean {differences.Average():F2}");
        // The video path shrinks the face to about half, compresses it (MPEG-4 part 2) and enlarges it again: blurrier
        // than the photo, but the same picture; a square 8 % of its side off gives about 30 (see AstronautCropTests).
        differences.Should().OnlyContain(d => d < 10);
    }

    [Fact]
    public async Task Leaving_early_or_cancelling_stops_the_stages_and_frees_the_queued_frames()
    {
        string path = PannedVideo();
        var pipeline = new FaceCropPipeline(Options(detectEvery: 5));
        using (var source = new VideoFileSource(path))
        {
            int taken = 0;
            await foreach (var row in pipeline.RunAsync(source))
            {
                row.Dispose();
                if (++taken == 3)
                    break;
            }
            taken.Should().Be(3);
        }

        using (var source = new VideoFileSource(path))
        using (var cancel = new CancellationTokenSource())
        {
            int taken = 0;
            var run = async () =>
            {
                await foreach (var row in pipeline.RunAsync(source, cancel.Token))
                {
                    row.Dispose();
                    if (++taken == 5)
                        await cancel.CancelAsync();
                }
            };
            await run.Should().ThrowAsync<OperationCanceledException>();
            taken.Should().Be(5);
        }
    }

    [Fact]
    public void A_missing_model_file_ends_the_run_with_the_places_searched()
    {
        using var source = new VideoFileSource(PannedVideo());
        var options = Options(detectEvery: 1);
        options.Detector.ModelPath = "no_such_cascade.xml";
        var run = () => new FaceCropPipeline(options).Run(source).ToList();
        run.Should().Throw<FileNotFoundException>().WithMessage("*no_such_cascade.xml*/usr/share/opencv4/haarcascades*opencv-data*");
    }

    [Fact]
    public void A_photo_gives_one_row_with_the_face()
    {
        using var source = FrameSources.Open(assets.Astronaut);
        source.Should().BeOfType<PhotoSource>();
        var rows = new FaceCropPipeline(Options(detectEvery: 1)).Run(source).ToList();
        try
        {
            rows.Should().ContainSingle();
            rows[0].FrameNumber.Should().Be(1);
            rows[0].FaceFound.Should().BeTrue();
            double iou = rows[0].Box!.Value.IntersectionOverUnion(AstronautVideo.PhotoFace);
            output.WriteLine($"photo: {rows[0].Box} IoU {iou:F3} against the box measured by eye");
            iou.Should().BeGreaterThanOrEqualTo(0.5);
        }
        finally
        {
            rows.ForEach(r => r.Dispose());
        }
    }
}
