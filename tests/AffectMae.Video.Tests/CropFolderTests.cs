// Crops written in the ABAW layout: numbered like Aff-Wild2's frames, frames without a face left out, PNG crops equal
// to the crops the recognizer sees from the video, so predicting from the folder equals predicting from the video.
using AffectMae.Core.Data;
using AffectMae.Models.Pipeline;
using AffectMae.Video.Cropping;
using AffectMae.Video.Decoding;
using AffectMae.Video.Faces;
using AffectMae.Video.Recognition;
using OpenCvSharp;
using SkiaSharp;

namespace AffectMae.Video.Tests;

[Collection(DebianAssetsCollection.Name)]
public sealed class CropFolderTests : IDisposable
{
    private const int FrameCount = 16;
    private static readonly Size FrameSize = new(160, 120);
    private static readonly HashSet<int> Covered = [6, 7];   // frames 7 and 8
    private readonly DebianAssets assets;
    private readonly TempFolder temp = new();
    private readonly string video;

    public CropFolderTests(DebianAssets assets)
    {
        this.assets = assets;
        video = temp.File("clip.mp4");
        using var photo = Cv2.ImRead(assets.Astronaut);
        AstronautVideo.Write(video, photo, FrameCount, FrameSize, Covered);
    }

    public void Dispose() => temp.Dispose();

    private FaceCropPipeline Pipeline(FaceCropOptions? crop = null) =>
        new(new FacePipelineOptions { Detector = new FaceDetectorOptions { ModelPath = assets.HaarCascade() }, Crop = crop, QueueCapacity = 4 });

    private static string[] Names(string folder) => Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    [Fact]
    public async Task Crops_are_numbered_like_abaw_frames_and_frames_without_a_face_have_no_image()
    {
        string folder = temp.File("cropped_aligned/clip");
        CropFolderSummary summary;
        using (var source = FrameSources.Open(video))
            summary = await CropFolder.WriteAsync(Pipeline(), source, folder);

        var expected = Enumerable.Range(1, FrameCount).Where(n => !Covered.Contains(n - 1)).Select(n => $"{n:D5}.jpg");
        Names(folder).Should().Equal(expected);
        summary.Frames.Should().Be(FrameCount);
        summary.Written.Should().Be(FrameCount - Covered.Count);
        summary.FramesWithoutFace.Should().Equal(7, 8);
        Directory.GetDirectories(temp.File("cropped_aligned")).Should().ContainSingle("the temporary folder was renamed into place");
        FrameFolder.Scan(folder).Gaps.Should().Equal(7, 8);
        using var first = SKBitmap.Decode(Path.Combine(folder, "00001.jpg"));
        (first.Width, first.Height).Should().Be((112, 112));
    }

    [Fact]
    public async Task Png_crops_are_the_pipelines_crops_pixel_for_pixel_and_jpeg_crops_are_close_to_them()
    {
        string png = temp.File("png/clip"), jpeg = temp.File("jpeg/clip");
        using (var source = FrameSources.Open(video))
            await CropFolder.WriteAsync(Pipeline(), source, png, CropImageFormat.Png);
        using (var source = FrameSources.Open(video))
            await CropFolder.WriteAsync(Pipeline(), source, jpeg, CropImageFormat.Jpeg, jpegQuality: 95);

        using var frames = FrameSources.Open(video);
        foreach (var row in Pipeline().Run(frames))
            using (row)
            {
                if (row.Crop is null) continue;
                using var written = ImageCompare.Decode(Path.Combine(png, CropFolder.FileName(row.FrameNumber, CropImageFormat.Png)));
                written.Bytes.Should().Equal(row.Crop.Bytes, $"frame {row.FrameNumber}'s PNG holds the crop exactly");
                using var lossy = ImageCompare.Decode(Path.Combine(jpeg, CropFolder.FileName(row.FrameNumber, CropImageFormat.Jpeg)));
                ImageCompare.MeanAbsoluteRgbDifference(lossy, row.Crop).Should().BeInRange(0.01, 3, "JPEG at quality 95 changes pixels a little");
            }
    }

    [Fact]
    public async Task Predicting_the_png_folder_equals_predicting_the_video_bit_for_bit()
    {
        var rule = new FaceCropOptions { OutputSize = 40 };
        var (encoder, temporal) = TinyBundles.Save(temp.File("bundles"), rule, seed: 2);
        using var recognizer = AffectRecognizer.Load(encoder, temporal, options: new AffectRecognizerOptions { BatchSize = 4 });
        var fromVideo = new List<string>();
        using (var source = FrameSources.Open(video))
            await foreach (var row in new VideoAffectRecognizer(recognizer, new FacePipelineOptions { Detector = new FaceDetectorOptions { ModelPath = assets.HaarCascade() } }).PredictAsync(source))
                fromVideo.Add(AffectCsv.Row(row.Affect));

        string folder = temp.File("crops/clip");
        using (var source = FrameSources.Open(video))
            await CropFolder.WriteAsync(Pipeline(rule), source, folder, CropImageFormat.Png);
        var fromFolder = recognizer.PredictFolder(folder).Frames.Select(f => AffectCsv.Row(f));

        fromVideo.Should().HaveCount(FrameCount).And.Equal(fromFolder);
    }

    [Fact]
    public async Task An_existing_folder_is_refused_unless_replacing_is_allowed()
    {
        string folder = temp.File("taken");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "note.txt"), "mine");
        using (var source = FrameSources.Open(video))
        {
            var write = () => CropFolder.WriteAsync(Pipeline(), source, folder);
            await write.Should().ThrowAsync<IOException>().WithMessage("*taken' exists already*");
        }
        File.Exists(Path.Combine(folder, "note.txt")).Should().BeTrue();
        using (var source = FrameSources.Open(video))
            await CropFolder.WriteAsync(Pipeline(), source, folder, replace: true);
        Names(folder).Should().HaveCount(FrameCount - Covered.Count).And.NotContain("note.txt");
    }
}
