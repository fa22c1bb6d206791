using AffectMae.Video.Faces;
using OpenCvSharp;

namespace AffectMae.Video.Tests;

[Collection(DebianAssetsCollection.Name)]
public sealed class VideoExampleTests(DebianAssets assets)
{
    private static string Repository => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));

    [Theory]
    [InlineData("VideoExample.cs")]
    [InlineData("VideoAffectExample.cs")]
    public void The_README_shows_exactly_the_video_examples_this_project_compiles(string file)
    {
        string readme = File.ReadAllText(Path.Combine(Repository, "README.md")).ReplaceLineEndings("\n");
        string example = File.ReadAllText(Path.Combine(Repository, "tests/AffectMae.Video.Tests", file)).ReplaceLineEndings("\n");
        readme.Should().Contain("```csharp\n" + example + "```");
    }

    [Fact]
    public async Task The_affect_example_writes_a_row_per_frame_with_the_covered_frame_empty()
    {
        using var temp = new TempFolder();
        string video = temp.File("clip.mp4");
        using (var photo = Cv2.ImRead(assets.Astronaut))
            AstronautVideo.Write(video, photo, 6, new Size(160, 120), new HashSet<int> { 3 });
        var (encoder, temporal) = TinyBundles.Save(temp.File("bundles"), new AffectMae.Core.Data.FaceCropOptions());
        string? before = Environment.GetEnvironmentVariable(FaceModelFiles.SearchPathVariable);
        try
        {
            Environment.SetEnvironmentVariable(FaceModelFiles.SearchPathVariable, Path.GetDirectoryName(assets.HaarCascade()));
            var summary = await VideoAffectExample.WriteCsvAsync(encoder, temporal, video, temp.File("clip.csv"));
            (summary.Frames, summary.FramesWithoutFace).Should().Be((6, 1));
        }
        finally
        {
            Environment.SetEnvironmentVariable(FaceModelFiles.SearchPathVariable, before);
        }
        var lines = File.ReadAllLines(temp.File("clip.csv"));
        lines.Should().HaveCount(7);
        lines[4].Should().StartWith("4,0.12,,,,,0,,");
    }

    [Fact]
    public async Task The_example_finds_the_default_cascade_through_AFFECTMAE_FACE_MODELS_and_prints_a_line_per_frame()
    {
        using var temp = new TempFolder();
        string video = temp.File("clip.mp4");
        using (var photo = Cv2.ImRead(assets.Astronaut))
            AstronautVideo.Write(video, photo, 6, new Size(160, 120), new HashSet<int> { 3 });
        string? before = Environment.GetEnvironmentVariable(FaceModelFiles.SearchPathVariable);
        var console = Console.Out;
        using var printed = new StringWriter();
        try
        {
            Environment.SetEnvironmentVariable(FaceModelFiles.SearchPathVariable, Path.GetDirectoryName(assets.HaarCascade()));
            Console.SetOut(printed);
            await VideoExample.PrintFacesAsync(video);
        }
        finally
        {
            Console.SetOut(console);
            Environment.SetEnvironmentVariable(FaceModelFiles.SearchPathVariable, before);
        }
        var lines = printed.ToString().ReplaceLineEndings("\n").Split('\n');
        lines[..6].Select(l => l.Split(' ')[0]).Should().Equal("1", "2", "3", "4", "5", "6");
        lines[3].Should().EndWith("no face");
        lines[..6].Where(l => l.Contains("FaceBox")).Should().HaveCount(5);
    }
}
