// The `generate` verb end to end through the root command, with a Spectre console that writes to a string.
using AffectMae.Core.Data;
using Spectre.Console;

namespace AffectMae.Cli.Tests;

public sealed class GenerateCommandTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly StringWriter output = new();
    private readonly IAnsiConsole console;

    public GenerateCommandTests()
    {
        console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 400;   // no wrapping inside the messages the tests look for
    }

    public void Dispose()
    {
        output.Dispose();
        folder.Dispose();
    }

    private Task<int> Run(params string[] args) => CliApplication.RunAsync(args, console);

    [Fact]
    public async Task Generate_refuses_a_non_empty_folder_with_exit_code_2_and_says_to_pass_force()
    {
        string root = folder.Sub("occupied");
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "existing.txt"), "x");

        int exit = await Run("generate", "--output", root, "--videos", "1", "--min-frames", "10", "--max-frames", "10", "--size", "32");

        exit.Should().Be(ExitCodes.OutputInUse).And.Be(2);
        output.ToString().Should().Contain("not empty").And.Contain("--force");
        Directory.EnumerateFileSystemEntries(root).Should().ContainSingle("nothing is written");
    }

    [Fact]
    public async Task Generate_with_force_writes_into_a_non_empty_folder()
    {
        string root = folder.Sub("forced");
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "existing.txt"), "x");

        int exit = await Run("generate", "-o", root, "--videos", "1", "--min-frames", "10", "--max-frames", "10", "--size", "32", "--force");

        exit.Should().Be(ExitCodes.Success);
        File.Exists(new AbawLayout(root).FramePath("synth-000", 10)).Should().Be(true);
    }

    [Fact]
    public async Task Generate_writes_the_abaw_layout_and_a_label_summary_into_a_new_folder()
    {
        string root = folder.Sub("fresh");

        int exit = await Run("generate", "--output", root, "--videos", "3", "--min-frames", "20", "--max-frames", "30", "--size", "32", "--seed", "1");

        exit.Should().Be(ExitCodes.Success);
        new AbawLayout(root).AvailableTasks.Should().HaveCount(3);
        Directory.EnumerateDirectories(Path.Combine(root, AbawLayout.FramesFolderName)).Should().HaveCount(3);
        output.ToString().Should().Contain("Wrote 3 videos").And.Contain("Neutral").And.Contain("AU26");
    }

    [Fact]
    public async Task Generate_rejects_a_frame_range_whose_maximum_is_below_its_minimum_with_exit_code_1()
    {
        string root = folder.Sub("bad-range");

        int exit = await Run("generate", "--output", root, "--min-frames", "50", "--max-frames", "20");

        exit.Should().Be(ExitCodes.UsageError);
        output.ToString().Should().Contain("MaxFrames (20) must be at least MinFrames (50)");
        Directory.Exists(root).Should().BeFalse();
    }
}
