// predict --video / --image and crop, each in a fresh process, on a short video made from Debian's astronaut.png
// (panned and scaled, face covered in two frames) with bundles saved here: the CSV equals, line for line, what the
// library writes in this process for the same video and bundles; crops land in the ABAW layout.
using AffectMae.Core.Data;
using AffectMae.Models.Mae;
using AffectMae.Models.Pipeline;
using AffectMae.Models.Temporal;
using AffectMae.Video;
using AffectMae.Video.Decoding;
using AffectMae.Video.Faces;
using AffectMae.Video.Recognition;
using AffectMae.Video.Tests;
using OpenCvSharp;
using SkiaSharp;
using static TorchSharp.torch;

namespace AffectMae.Cli.Tests;

public sealed class VideoProcessTests : IClassFixture<DebianAssets>, IDisposable
{
    private const int FrameCount = 12;
    private static readonly HashSet<int> Covered = [4, 5];   // 0-based: frames 5 and 6
    private static readonly FaceCropOptions Rule = new() { OutputSize = 48, Margin = 0.3 };
    private readonly DebianAssets assets;
    private readonly TempFolder temp = new();
    private readonly RunFolder run;
    private readonly string video;

    public VideoProcessTests(DebianAssets assets)
    {
        this.assets = assets;
        var recipe = TinyRecipe.Create(5);
        run = new RunFolder(temp.Sub("run"));
        manual_seed(5);
        using (var classifier = new MaeClassifier(recipe.ClassifierOptions()))
        using (var temporal = new AffectSequenceModel(recipe.SequenceModelFor(TemporalVariant.Full)))
        {
            var encoder = EncoderBundle.Save(run.EncoderModel(EncoderKind.FineTuned), classifier, recipe.Normalization, recipe.Name, Rule);
            TemporalBundle.Save(run.TemporalModel(TemporalVariant.Full), temporal, recipe.Segmentation, recipe.Name, encoder.WeightsSha256);
        }
        video = temp.Sub("clip.mp4");
        using var photo = Cv2.ImRead(assets.Astronaut);
        AstronautVideo.Write(video, photo, FrameCount, new OpenCvSharp.Size(160, 120), Covered);
    }

    public void Dispose() => temp.Dispose();

    private FacePipelineOptions Faces() => new() { Detector = new FaceDetectorOptions { ModelPath = assets.HaarCascade() } };

    private AffectRecognizer Recognizer() => AffectRecognizer.Load(run.EncoderModel(EncoderKind.FineTuned), run.TemporalModel(TemporalVariant.Full),
        options: new AffectRecognizerOptions { BatchSize = AffectMaeRecipe.Demo.Inference.EncoderBatchSize });

    [Fact]
    public async Task Predict_video_writes_one_row_per_frame_equal_to_the_library_s_and_a_plot()
    {
        string output = temp.Sub("out");

        var (exit, printed) = CliProcess.Run(TimeSpan.FromMinutes(3), "predict", "--video", video, "--output", output, "--work", run.Root,
            "--detector-model", assets.HaarCascade(), "--plot");

        exit.Should().Be(ExitCodes.Success, printed);
        printed.Should().Contain($"{FrameCount} frame(s), {Covered.Count} without a face").And.Contain("frames/s end to end");
        string expected = temp.Sub("expected.csv");
        using (var recognizer = Recognizer())
        using (var source = FrameSources.Open(video))
            await new VideoAffectRecognizer(recognizer, Faces()).WriteCsvAsync(source, expected);
        var lines = File.ReadAllLines(Path.Combine(output, "clip.csv"));
        lines.Should().Equal(File.ReadAllLines(expected), "the same video, bundles and detector in another process");
        lines.Should().HaveCount(1 + FrameCount);
        lines.Skip(1).Select(l => l.Split(',')[6]).Should().Equal(Enumerable.Range(0, FrameCount).Select(i => Covered.Contains(i) ? "0" : "1"), "face_found, frame by frame");
        using var plot = SKBitmap.Decode(Path.Combine(output, "va-clip.png"));
        (plot.Width, plot.Height).Should().Be((900, 500));
    }

    [Fact]
    public void Predict_image_writes_one_row_and_predict_without_an_input_is_a_usage_error()
    {
        string output = temp.Sub("photo");

        var (exit, printed) = CliProcess.Run(TimeSpan.FromMinutes(3), "predict", "--image", assets.Astronaut, "--output", output, "--work", run.Root, "--detector-model", assets.HaarCascade());
        var (none, refused) = CliProcess.Run(TimeSpan.FromMinutes(1), "predict", "--output", output, "--work", run.Root);

        exit.Should().Be(ExitCodes.Success, printed);
        var lines = File.ReadAllLines(Path.Combine(output, "astronaut.csv"));
        lines.Should().HaveCount(2);
        var cells = lines[1].Split(',');
        (cells[0], cells[1], cells[6]).Should().Be(("1", "", "1"), "frame 1, no time (a photo), face found");
        cells[2..6].Should().OnlyContain(c => c.Length > 0, "the face box");
        none.Should().Be(ExitCodes.UsageError, refused);
        refused.Should().Contain("give exactly one of --frames, --video or --image (got none)");
    }

    [Fact]
    public void Crop_writes_the_abaw_layout_by_the_bundle_s_rule_and_refuses_an_existing_folder_without_force()
    {
        string output = temp.Sub("cropped_aligned");
        string[] args = ["crop", "--video", video, "--output", output, "--work", run.Root, "--detector-model", assets.HaarCascade(),
            "--encoder-model", run.EncoderModel(EncoderKind.FineTuned)];

        var (exit, printed) = CliProcess.Run(TimeSpan.FromMinutes(2), args);
        var (again, refused) = CliProcess.Run(TimeSpan.FromMinutes(2), args);
        var (forced, replaced) = CliProcess.Run(TimeSpan.FromMinutes(2), [.. args, "--force", "--format", "Png"]);

        exit.Should().Be(ExitCodes.Success, printed);
        printed.Should().Contain($"{FrameCount - Covered.Count} of {FrameCount} frame(s) cropped to 48²; {Covered.Count} without a face have no image (5, 6)");
        again.Should().Be(ExitCodes.OutputInUse, refused);
        refused.Should().Contain("exists already; give --force");
        forced.Should().Be(ExitCodes.Success, replaced);
        string folder = Path.Combine(output, "clip");
        Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).Should()
            .Equal(Enumerable.Range(1, FrameCount).Where(n => !Covered.Contains(n - 1)).Select(n => $"{n:D5}.png"));
        using var crop = SKBitmap.Decode(Path.Combine(folder, "00001.png"));
        (crop.Width, crop.Height).Should().Be((48, 48));
    }
}
