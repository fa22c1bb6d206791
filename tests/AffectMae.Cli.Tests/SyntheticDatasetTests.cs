// The written data set, read back through the Core layout and readers: same seed → same bytes, different seed →
// different bytes, frame counts and unlabelled markers as planned, images present except the intended gaps.
using AffectMae.Cli.Synthetic;
using AffectMae.Core.Data;
using AffectMae.Metrics;
using SkiaSharp;

namespace AffectMae.Cli.Tests;

public sealed class SyntheticDatasetTests(SmallDataSet data) : IClassFixture<SmallDataSet>
{
    private static readonly int[] SampleFrames = [1, 2, 17, 33, 40];

    private static IEnumerable<string> AnnotationFiles(string root)
        => SyntheticDataset.OwnedFolderNames.Take(3)
            .SelectMany(task => Directory.EnumerateFiles(Path.Combine(root, task), "*.txt", SearchOption.AllDirectories))
            .Select(file => Path.GetRelativePath(root, file))
            .Order(StringComparer.Ordinal);

    private static byte[]? Frame(string root, string video, int frame)
    {
        string path = new AbawLayout(root).FramePath(video, frame);
        return File.Exists(path) ? File.ReadAllBytes(path) : null;
    }

    [Fact]
    public void The_same_seed_writes_byte_identical_annotations_and_frames_whatever_the_thread_count()
    {
        string again = data.NewFolder("seed7-one-thread");
        SyntheticDataset.Generate(again, SmallDataSet.Options with { MaxDegreeOfParallelism = 1 });
        var files = AnnotationFiles(data.Root).ToList();
        files.Should().HaveCount(3 * 4);
        AnnotationFiles(again).Should().Equal(files);
        foreach (string file in files)
            File.ReadAllBytes(Path.Combine(again, file)).Should().Equal(File.ReadAllBytes(Path.Combine(data.Root, file)), file);
        foreach (var video in data.Summary.Videos)
        {
            foreach (int frame in SampleFrames)
                Frame(again, video.Name, frame).Should().Equal(Frame(data.Root, video.Name, frame), $"{video.Name} frame {frame}");
        }
    }

    [Fact]
    public void Another_seed_writes_different_annotations_and_frames()
    {
        string other = data.NewFolder("seed8");
        var summary = SyntheticDataset.Generate(other, SmallDataSet.Options with { Seed = 8 });
        var video = summary.Videos[1];
        var read = new AbawLayout(other).ReadAnnotation(AffectTask.ValenceArousal, video.Split, video.Name);
        read.Should().Be(video.ValenceArousal);
        read.Should().NotBe(data.Summary.Videos[1].ValenceArousal);
        Frame(other, video.Name, 17).Should().NotEqual(Frame(data.Root, video.Name, 17));
    }

    [Fact]
    public void Every_task_reads_back_with_the_planned_split_frame_counts_and_labels()
    {
        var layout = new AbawLayout(data.Root);
        layout.AvailableTasks.Should().Equal(AffectTask.ValenceArousal, AffectTask.Expression, AffectTask.ActionUnits);
        var planned = data.Summary.Videos;
        var expectedTrain = planned.Where(v => v.Split == AbawSplit.Train).Select(v => v.Name).Order(StringComparer.Ordinal).ToList();
        var expectedValidation = planned.Where(v => v.Split == AbawSplit.Validation).Select(v => v.Name).Order(StringComparer.Ordinal).ToList();
        foreach (var task in AffectTasks.Each)
        {
            var split = layout.OfficialSplit(task);
            split.Train.Should().Equal(expectedTrain);
            split.Validation.Should().Equal(expectedValidation);
            foreach (var video in planned)
            {
                var read = layout.ReadAnnotation(task, video.Split, video.Name);
                read.FrameCount.Should().Be(video.FrameCount);
                read.Should().Be(video.Annotation(task), "{0} of {1} reads back as written", task, video.Name);
            }
        }
        foreach (var split in Enum.GetValues<AbawSplit>())
        {
            var loaded = AbawVideo.Load(layout, split);
            loaded.Select(v => v.Video).Should().Equal(split == AbawSplit.Train ? expectedTrain : expectedValidation);
            loaded.Should().OnlyContain(v => v.ValenceArousal != null && v.Expression != null && v.ActionUnits != null);
            loaded.Should().OnlyContain(v => v.FrameCount == planned.Single(p => p.Name == v.Video).FrameCount);
        }
    }

    [Fact]
    public void The_layout_check_reports_exactly_the_intentionally_missing_images()
    {
        var layout = new AbawLayout(data.Root);
        foreach (var video in data.Summary.Videos)
        {
            var alignment = layout.CheckFrames(video.Name, video.FrameCount);
            alignment.MissingImages.Should().Equal(video.MissingFrameNumbers, video.Name);
            alignment.UnannotatedImages.Should().BeEmpty();
            alignment.ImageCount.Should().Be(video.FrameCount - video.MissingFrameNumbers.Count);
        }
        data.Summary.Videos[0].MissingFrameNumbers.Should().NotBeEmpty("the first video always leaves frames out");
        data.Summary.ImagesWritten.Should().Be(data.Summary.Videos.Sum(v => v.FrameCount - v.MissingFrameNumbers.Count));
    }

    [Fact]
    public void Unlabelled_frames_carry_the_aff_wild2_markers_in_all_three_files()
    {
        var layout = new AbawLayout(data.Root);
        var video = data.Summary.Videos[0];
        var va = (ValenceArousalAnnotation)layout.ReadAnnotation(AffectTask.ValenceArousal, video.Split, video.Name);
        var expression = (ExpressionAnnotation)layout.ReadAnnotation(AffectTask.Expression, video.Split, video.Name);
        var actionUnits = (ActionUnitAnnotation)layout.ReadAnnotation(AffectTask.ActionUnits, video.Split, video.Name);
        va.Values.Should().Contain(AffectLabels.UnlabelledValenceArousal);
        va.LabelledFrameCount.Should().BeLessThan(va.FrameCount);
        expression.Labels.Should().Contain(AffectLabels.UnlabelledExpression);
        actionUnits.LabelledFrameCount.Should().BeLessThan(actionUnits.FrameCount);
        string vaText = File.ReadAllText(layout.AnnotationPath(AffectTask.ValenceArousal, video.Split, video.Name));
        vaText.Should().Contain("\n-5,-5\n");
    }

    [Fact]
    public void Frames_are_jpeg_images_of_the_requested_size()
    {
        var video = data.Summary.Videos[2];
        byte[] jpeg = Frame(data.Root, video.Name, SampleFrames.First(f => video.HasImage(f - 1)))!;
        jpeg.Take(3).Should().Equal((byte)0xFF, (byte)0xD8, (byte)0xFF);
        using var bitmap = SKBitmap.Decode(jpeg);
        (bitmap.Width, bitmap.Height).Should().Be((32, 32));
    }

    [Fact]
    public void A_non_empty_folder_is_refused_unless_overwriting_which_replaces_only_the_generated_folders()
    {
        string root = data.NewFolder("occupied");
        Directory.CreateDirectory(Path.Combine(root, AbawLayout.FramesFolderName, "stale-video"));
        File.WriteAllText(Path.Combine(root, "notes.txt"), "keep me");
        var options = SmallDataSet.Options with { Videos = 1, MinFrames = 10, MaxFrames = 10 };

        FluentActions.Invoking(() => SyntheticDataset.Generate(root, options)).Should().Throw<IOException>().WithMessage("*not empty*");
        SyntheticDataset.Generate(root, options, overwrite: true);
        Directory.Exists(Path.Combine(root, AbawLayout.FramesFolderName, "stale-video")).Should().BeFalse();
        Directory.Exists(Path.Combine(root, AbawLayout.FramesFolderName, "synth-000")).Should().BeTrue();
        File.ReadAllText(Path.Combine(root, "notes.txt")).Should().Be("keep me");
    }

    [Fact]
    public void Progress_reaches_every_frame_and_every_video()
    {
        var reports = new List<SyntheticProgress>();
        var progress = new SynchronousProgress(reports);
        var summary = SyntheticDataset.Generate(data.NewFolder("progress"), SmallDataSet.Options with { Videos = 2 }, progress: progress);
        int total = summary.Videos.Sum(v => v.FrameCount);
        reports.Max(r => r.FramesDone).Should().Be(total);
        reports.Max(r => r.VideosDone).Should().Be(2);
        reports.Should().OnlyContain(r => r.TotalFrames == total && r.TotalVideos == 2);
    }

    private sealed class SynchronousProgress(List<SyntheticProgress> reports) : IProgress<SyntheticProgress>
    {
        public void Report(SyntheticProgress value)
        {
            lock (reports) reports.Add(value);
        }
    }
}
