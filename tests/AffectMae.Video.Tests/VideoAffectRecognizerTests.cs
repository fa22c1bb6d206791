// From a video made of a real photo to per-frame affect: one row per written frame, covered frames flagged with
// empty values, the crop rule taken from the encoder bundle, and the same numbers as the recognizer gives for the
// same crops handed over as images (bit for bit on the CPU).
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
public sealed class VideoAffectRecognizerTests : IDisposable
{
    private const int FrameCount = 20;
    private const double Fps = 25;
    private static readonly Size FrameSize = new(160, 120);
    private static readonly HashSet<int> Covered = [8, 9, 10];   // 0-based frame indices: frames 9, 10 and 11
    private static readonly FaceCropOptions BundleRule = new() { OutputSize = 48, Margin = 0.3, CenterShift = 0.1 };
    private readonly DebianAssets assets;
    private readonly TempFolder temp = new();
    private readonly AffectRecognizer recognizer;
    private readonly string video;

    public VideoAffectRecognizerTests(DebianAssets assets)
    {
        this.assets = assets;
        var (encoder, temporal) = TinyBundles.Save(temp.File("bundles"), BundleRule);
        recognizer = AffectRecognizer.Load(encoder, temporal, options: new AffectRecognizerOptions { BatchSize = 4 });
        video = temp.File("clip.mp4");
        using var photo = Cv2.ImRead(assets.Astronaut);
        AstronautVideo.Write(video, photo, FrameCount, FrameSize, Covered, Fps);
    }

    public void Dispose()
    {
        recognizer.Dispose();
        temp.Dispose();
    }

    private FacePipelineOptions Faces() => new()
    {
        Detector = new FaceDetectorOptions { ModelPath = assets.HaarCascade() },
        QueueCapacity = 4,
    };

    private static async Task<List<VideoFrameAffect>> All(IAsyncEnumerable<VideoFrameAffect> rows)
    {
        var list = new List<VideoFrameAffect>();
        await foreach (var row in rows) list.Add(row);
        return list;
    }

    [Fact]
    public async Task Every_frame_gets_a_row_with_its_time_and_box_and_covered_frames_keep_theirs_without_values()
    {
        var pipeline = new VideoAffectRecognizer(recognizer, Faces());
        using var source = FrameSources.Open(video);
        var rows = await All(pipeline.PredictAsync(source));

        rows.Select(r => r.Frame).Should().Equal(Enumerable.Range(1, FrameCount));
        source.Summary!.DecodedFrames.Should().Be(FrameCount);
        foreach (var row in rows)
        {
            int index = row.Frame - 1;
            row.Timestamp.Should().Be(TimeSpan.FromSeconds(index / Fps), "mp4v at 25 frames/s stamps frame i at i/25 s");
            if (Covered.Contains(index))
            {
                row.FaceFound.Should().BeFalse($"frame {row.Frame} has the face covered");
                row.Box.Should().BeNull();
                row.Affect.Should().BeEquivalentTo(FrameAffect.NoFace(row.Frame));
                continue;
            }
            row.FaceFound.Should().BeTrue($"frame {row.Frame} shows the face");
            var truth = AstronautVideo.ToFrame(AstronautVideo.PhotoFace, AstronautVideo.Placement(index, FrameCount, FrameSize));
            row.Box!.Value.IntersectionOverUnion(truth).Should().BeGreaterThanOrEqualTo(0.5f);
            float.IsFinite(row.Affect.Valence).Should().BeTrue();
            row.Affect.ExpressionProbabilities.Sum().Should().BeApproximately(1f, 1e-5f);
            row.Affect.ActionUnitProbabilities.Should().HaveCount(12);
        }
    }

    [Fact]
    public async Task The_stream_gives_bit_for_bit_what_the_recognizer_gives_for_the_same_crops_as_images()
    {
        var pipeline = new VideoAffectRecognizer(recognizer, Faces());
        List<VideoFrameAffect> rows;
        using (var source = FrameSources.Open(video))
            rows = await All(pipeline.PredictAsync(source));

        // The same video through the face pipeline alone, cut by the bundle's rule; its crops handed over as images.
        var crops = new List<SKBitmap?>();
        using (var source = FrameSources.Open(video))
            foreach (var row in new FaceCropPipeline(new FacePipelineOptions { Detector = Faces().Detector, Crop = BundleRule }).Run(source))
                using (row)
                    crops.Add(row.TakeCrop());
        try
        {
            crops.Where(c => c is not null).Should().OnlyContain(c => c!.Width == 48 && c.Height == 48, "the bundle's rule cuts 48² crops");
            crops.Count(c => c is null).Should().Be(Covered.Count);
            var expected = recognizer.PredictImages(crops).Frames;
            // AffectCsv writes every float in its round-trip form, so equal lines mean equal bits.
            rows.Select(r => AffectCsv.Row(r.Affect)).Should().Equal(expected.Select(f => AffectCsv.Row(f)));
        }
        finally
        {
            crops.ForEach(c => c?.Dispose());
        }
    }

    [Fact]
    public void The_crop_rule_comes_from_the_encoder_bundle_and_another_rule_is_refused_naming_both()
    {
        new VideoAffectRecognizer(recognizer).Faces.Cropper.Options.Should().BeEquivalentTo(BundleRule);
        var same = Faces();
        same.Crop = new FaceCropOptions { OutputSize = 48, Margin = 0.3, CenterShift = 0.1 };
        new VideoAffectRecognizer(recognizer, same).Faces.Cropper.Options.Should().BeEquivalentTo(BundleRule);

        var other = Faces();
        other.Crop = new FaceCropOptions();
        var build = () => new VideoAffectRecognizer(recognizer, other);
        build.Should().Throw<ArgumentException>()
            .WithMessage("*\"OutputSize\":112*trained on faces cut by*\"OutputSize\":48*field Encoder.FaceCrop*Leave Crop null*");
    }

    [Fact]
    public async Task The_csv_has_a_row_per_frame_and_rows_without_a_face_keep_only_frame_time_and_flag()
    {
        var pipeline = new VideoAffectRecognizer(recognizer, Faces());
        string csv = temp.File("out/clip.csv");
        var reports = new List<VideoProgress>();
        VideoAffectSummary summary;
        using (var source = FrameSources.Open(video))
            summary = await pipeline.WriteCsvAsync(source, csv, new Progress(reports.Add));

        summary.Frames.Should().Be(FrameCount);
        summary.FramesWithoutFace.Should().Be(Covered.Count);
        summary.Decoding!.DecodedFrames.Should().Be(FrameCount);
        reports.Select(r => r.Frames).Should().Equal(Enumerable.Range(1, FrameCount), "one report a row written");
        reports.Select(r => r.FramesWithoutFace).Should().Equal(Enumerable.Range(1, FrameCount).Select(n => Covered.Count(c => c < n)));
        reports.Should().OnlyContain(r => r.ExpectedFrames == FrameCount && r.FramesPerSecond > 0);
        reports.Select(r => r.Elapsed).Should().BeInAscendingOrder();
        var lines = File.ReadAllLines(csv);
        lines[0].Should().Be(VideoAffectCsv.Header);
        lines[0].Should().StartWith("frame,timestamp,face_x,face_y,face_width,face_height,face_found,valence,arousal,expression,p_Neutral,");
        lines.Should().HaveCount(1 + FrameCount);
        Directory.GetFiles(temp.File("out")).Should().ContainSingle("the temporary file is renamed into place");
        var covered = lines[1 + 9].Split(',');   // frame 10
        covered[0].Should().Be("10");
        covered[1].Should().Be("0.36", "frame 10 is shown at 9/25 s");
        covered[2..6].Should().OnlyContain(c => c == "");
        covered[6].Should().Be("0");
        covered[7..].Should().OnlyContain(c => c == "").And.HaveCount(AffectCsv.Columns.Count - 2);
        var shown = lines[1].Split(',');
        (shown[0], shown[1]).Should().Be(("1", "0"));
        shown[2..6].Should().OnlyContain(c => c.Length > 0);
        shown[6].Should().Be("1");
        shown[7..].Should().OnlyContain(c => c.Length > 0);
    }

    [Fact]
    public async Task A_cancelled_run_leaves_the_earlier_csv_as_it_was_and_no_temporary_file()
    {
        var pipeline = new VideoAffectRecognizer(recognizer, Faces());
        string csv = temp.File("cancel/clip.csv");
        Directory.CreateDirectory(temp.File("cancel"));
        File.WriteAllText(csv, "earlier\n");
        using var cancel = new CancellationTokenSource();
        using var source = FrameSources.Open(video);

        var run = () => pipeline.WriteCsvAsync(source, csv, new Progress(p => { if (p.Frames == 5) cancel.Cancel(); }), cancel.Token);

        await run.Should().ThrowAsync<OperationCanceledException>();
        File.ReadAllText(csv).Should().Be("earlier\n");
        Directory.GetFiles(temp.File("cancel")).Should().Equal(csv);
    }

    [Fact]
    public async Task A_photo_gives_one_row_and_a_frame_folder_with_a_gap_gives_a_row_for_the_missing_number()
    {
        var pipeline = new VideoAffectRecognizer(recognizer, Faces());
        using (var photo = FrameSources.Open(assets.Astronaut))
        {
            var rows = await All(pipeline.PredictAsync(photo));
            rows.Should().ContainSingle().Which.FaceFound.Should().BeTrue();
            rows[0].Timestamp.Should().BeNull();
        }

        string folder = temp.File("frames");
        Directory.CreateDirectory(folder);
        File.Copy(assets.Astronaut, Path.Combine(folder, "00001.png"));
        File.Copy(assets.Astronaut, Path.Combine(folder, "00003.png"));
        using var frames = FrameSources.Open(folder);
        var folderRows = await All(pipeline.PredictAsync(frames));
        folderRows.Select(r => (r.Frame, r.FaceFound)).Should().Equal((1, true), (2, false), (3, true));
    }

    // Reports on the writing thread, unlike Progress<T>, which posts them to a thread-pool queue.
    private sealed class Progress(Action<VideoProgress> report) : IProgress<VideoProgress>
    {
        public void Report(VideoProgress value) => report(value);
    }
}
