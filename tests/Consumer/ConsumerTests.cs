using AffectMae.Metrics;
using AffectMae.Models.Mae;
using AffectMae.Models.Pipeline;
using AffectMae.Models.Temporal;
using SkiaSharp;
using Xunit;
using static TorchSharp.torch;

public class ConsumerTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("affectmae-consumer-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void The_readme_example_predicts_every_frame_of_a_folder_with_bundles_made_by_the_packages()
    {
        // Tiny bundles, as a training run of the packages would leave them (random weights, seeded).
        manual_seed(1);
        string encoder = Path.Combine(folder, "encoder"), temporal = Path.Combine(folder, "temporal");
        using (var classifier = new MaeClassifier(MaeClassifierOptions.Tiny))
        using (var model = new AffectSequenceModel(TinyTemporal()))
        {
            var saved = EncoderBundle.Save(encoder, classifier, new NormalizationOptions(), "tiny");
            TemporalBundle.Save(temporal, model, new AffectMae.Core.Segmentation.SegmentationOptions { WindowLength = 8, Stride = 4 }, "tiny", saved.WeightsSha256);
        }
        string frames = Path.Combine(folder, "frames");
        Directory.CreateDirectory(frames);
        for (int k = 1; k <= 10; k++) WriteFrame(Path.Combine(frames, $"{k:D5}.png"), k);
        string csv = Path.Combine(folder, "affect.csv");

        var video = UsageExample.Run(encoder, temporal, frames, csv);

        Assert.Equal(Enumerable.Range(1, 10), video.Frames.Select(f => f.Frame));
        Assert.All(video.Frames, f => Assert.True(f.FaceFound && f.Valence >= -1 && f.Valence <= 1 && f.ExpressionProbabilities.Count == 8));
        var lines = File.ReadAllLines(csv);
        Assert.Equal(11, lines.Length);
        Assert.StartsWith("frame,face_found,valence,arousal,expression,p_Neutral", lines[0]);
    }

    [Fact]
    public void Metrics_need_no_torch()
    {
        // means 2 and 3; variances 2/3 each; covariance 2/3 → 2·(2/3) / (2/3 + 2/3 + 1²) = 4/7
        Assert.Equal(4.0 / 7.0, Ccc.Compute([1.0, 2, 3], [2.0, 3, 4]), 12);
    }

    [Fact]
    public void The_README_shows_exactly_the_code_this_project_compiles()
    {
        string here = AppContext.BaseDirectory;
        string root = Path.GetFullPath(Path.Combine(here, "../../../../.."));
        string readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");
        string example = File.ReadAllText(Path.Combine(root, "tests/Consumer/UsageExample.cs")).ReplaceLineEndings("\n");

        Assert.Contains("```csharp\n" + example + "```", readme);
    }

    // The tiny temporal model, reading the tiny encoder's 64-wide features over windows of 8.
    private static AffectSequenceModelOptions TinyTemporal()
    {
        var options = AffectSequenceModelOptions.Tiny16D24;
        options.InputDim = options.Tcn.InputDim = 64;
        options.Transformer.MaxLength = 8;
        return options;
    }

    private static void WriteFrame(string path, int k)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(32, 32, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (int y = 0; y < 32; y++)
            for (int x = 0; x < 32; x++)
                bitmap.SetPixel(x, y, new SKColor((byte)(x * 8), (byte)(y * 8), (byte)(k * 20)));
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
    }
}
