package io.cairn.cli;

import io.cairn.Cairn;
import io.cairn.CairnClient;
import io.cairn.HomeNotFoundException;
import io.cairn.postgres.PostgresStore;
import io.cairn.spi.BlobStore;
import io.cairn.spi.BlobStores;
import io.cairn.spi.StateStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code cairn} command: global options, the subcommands, and the one place where exit codes
 * are decided ({@link ErrorHandler}).
 *
 * <p>Start-up is most of what a read command costs, so nothing is built that the command line does
 * not name: {@code --version} answers before picocli loads, and only the subcommand given is
 * registered (picocli builds a model, by reflection, of every command it is told about; all of them
 * are registered only when no known subcommand is named: {@code cairn}, {@code --help}, {@code
 * help}, a typo that needs suggestions).
 */
@Command(
    name = "cairn",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    header = "Durable, resumable computation: inspect and run a Cairn home.",
    synopsisSubcommandLabel = "COMMAND",
    footerHeading = "%n",
    footer = {
      "Start with: cairn demo, then cairn status.",
      "Home: --home, else $CAIRN_HOME, else .cairn beside the pipeline file (-f FILE, else the"
          + " nearest cairn.yaml here or above), else ./.cairn; read commands never create it.",
      "Pipelines: -f FILE, else the nearest cairn.yaml here or above (run, status, graph, trace,"
          + " ls, cat, ...).",
      "Exit: 0 ok, 1 failure, 2 bad usage, unknown name, no home or no pipeline file."
    })
public final class Main implements Callable<Integer> {
  static final String DEFAULT_HOME = ".cairn";

  /** The subcommands' names in the order the usage lists them. */
  private static final String[] SUBCOMMANDS = {
    "status",
    "ls",
    "ps",
    "show",
    "log",
    "error",
    "why",
    "check",
    "reset",
    "map",
    "run",
    "worker",
    "slurm",
    "serve",
    "graph",
    "trace",
    "cat",
    "inject",
    "launch",
    "rm",
    "put",
    "get",
    "info",
    "objects",
    "datasets",
    "lineage",
    "gc",
    "demo",
    "help"
  };

  /**
   * The class of a subcommand, or null. A switch rather than a table of class literals so that the
   * classes of the commands not run are never loaded.
   */
  private static Class<?> subcommand(String name) {
    return switch (name) {
      case "status" -> StatusCommand.class;
      case "ls" -> LsCommand.class;
      case "ps" -> PsCommand.class;
      case "show" -> ShowCommand.class;
      case "log" -> LogCommand.class;
      case "error" -> ErrorCommand.class;
      case "why" -> WhyCommand.class;
      case "check" -> CheckCommand.class;
      case "reset" -> ResetCommand.class;
      case "map" -> MapCommand.class;
      case "run" -> RunCommand.class;
      case "worker" -> WorkerCommand.class;
      case "slurm" -> SlurmCommand.class;
      case "serve" -> ServeCommand.class;
      case "graph" -> GraphCommand.class;
      case "trace" -> TraceCommand.class;
      case "cat" -> CatCommand.class;
      case "inject" -> InjectCommand.class;
      case "launch" -> LaunchCommand.class;
      case "rm" -> RmCommand.class;
      case "put" -> PutCommand.class;
      case "get" -> GetCommand.class;
      case "info" -> InfoCommand.class;
      case "objects" -> ObjectsCommand.class;
      case "datasets" -> DatasetsCommand.class;
      case "lineage" -> LineageCommand.class;
      case "gc" -> GcCommand.class;
      case "demo" -> DemoCommand.class;
      case "help" -> CommandLine.HelpCommand.class;
      default -> null;
    };
  }

  private final boolean interactive;
  private final InputStream rawIn;
  private final PrintStream rawOut;
  private final PrintStream rawErr;

  private Path home;
  private String store;
  private boolean verbose;

  private String blobs;
  private final Map<String, String> env;

  private Main(
      boolean interactive,
      InputStream rawIn,
      PrintStream rawOut,
      PrintStream rawErr,
      Map<String, String> env) {
    this.env = env;
    this.interactive = interactive;
    this.rawIn = rawIn;
    this.rawOut = rawOut;
    this.rawErr = rawErr;
  }

  @Option(
      names = "--home",
      paramLabel = "DIR",
      scope = ScopeType.INHERIT,
      description =
          "Project home (default: $CAIRN_HOME, else .cairn beside the pipeline file, else"
              + " ./.cairn).")
  void setHome(Path home) {
    this.home = home;
  }

  @Option(
      names = "--blobs",
      paramLabel = "URL",
      scope = ScopeType.INHERIT,
      description =
          "Where outputs, logs and files live: a directory or s3://bucket/prefix (default:"
              + " $CAIRN_BLOBS, else HOME/blobs). For S3: $CAIRN_S3_ENDPOINT or $AWS_ENDPOINT_URL,"
              + " $AWS_REGION; credentials from the AWS default chain.")
  void setBlobs(String blobs) {
    if (blobs.isBlank()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--blobs must not be blank: pass a directory or s3://bucket/prefix");
    }
    this.blobs = blobs;
  }

  @Option(
      names = "--store",
      paramLabel = "URL",
      scope = ScopeType.INHERIT,
      description =
          "State store: postgresql://user@host:port/db (default: $CAIRN_STORE, else SQLite in the"
              + " home). Password from PGPASSWORD or ~/.pgpass.")
  void setStore(String store) {
    this.store = store;
  }

  @Option(
      names = {"-v", "--verbose"},
      scope = ScopeType.INHERIT,
      description = "Print stack traces of unexpected failures.")
  void setVerbose(boolean verbose) {
    this.verbose = verbose;
  }

  public static void main(String[] args) {
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      // The most common probe of an installation; picocli's model of the command is not needed.
      for (String line : new Version().getVersion()) {
        System.out.println(line);
      }
      System.exit(ErrorHandler.OK);
    }
    NativeSqlite.useCachedCopy(); // a real process only: tests in one JVM leave the driver be
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command line in-process; returns the exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, System.in, out, err);
  }

  /** Runs the command line in-process with this stdin ({@code inject}); returns the exit code. */
  static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    return run(args, in, out, err, System.getenv());
  }

  /** Runs the command line in-process with this environment ($CAIRN_BLOBS, S3 settings). */
  static int run(
      String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
    boolean realTerminal = out == System.out && err == System.err && System.console() != null;
    Ansi ansi = realTerminal && System.getenv("NO_COLOR") == null ? Ansi.AUTO : Ansi.OFF;
    Main main = new Main(realTerminal, in, out, err, env);
    ErrorHandler errors = new ErrorHandler(main);
    // Subcommands first: picocli applies the settings below only to those registered already.
    CommandLine cmd = new CommandLine(main);
    String named = subcommandNamed(args);
    if (named != null) {
      cmd.addSubcommand(subcommand(named));
    } else {
      for (String name : SUBCOMMANDS) {
        cmd.addSubcommand(subcommand(name));
      }
    }
    cmd.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
        .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8))
        .setColorScheme(CommandLine.Help.defaultColorScheme(ansi))
        .setCaseInsensitiveEnumValuesAllowed(true)
        .registerConverter(io.cairn.Status.class, new StatusConverter())
        .setExecutionExceptionHandler(errors)
        .setParameterExceptionHandler(errors);
    try {
      return cmd.execute(args);
    } finally {
      cmd.getOut().flush();
      cmd.getErr().flush();
    }
  }

  /**
   * The subcommand the first word that is not a global option names, or null when there is none (or
   * it is {@code help}, which lists them all, or unknown, which needs them all for suggestions).
   */
  static String subcommandNamed(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--home") || a.equals("--blobs") || a.equals("--store")) {
        i++; // its value
      } else if (a.startsWith("--home=")
          || a.startsWith("--blobs=")
          || a.startsWith("--store=")
          || a.equals("-v")
          || a.equals("--verbose")) {
        continue;
      } else if (a.startsWith("-")) {
        return null; // --help, --version, or a mistake picocli explains
      } else {
        return a.equals("help") || subcommand(a) == null ? null : a;
      }
    }
    return null;
  }

  @Spec private CommandSpec spec;

  /** {@code cairn} alone prints the usage on stderr and exits 2, as any usage error. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ErrorHandler.USAGE;
  }

  // ---------------------------------------------------------------- shared by the subcommands

  /**
   * The home directory, absolute: --home, else $CAIRN_HOME, else .cairn beside the project's
   * pipeline file (-f FILE, else the nearest cairn.yaml in the working directory or above), else
   * ./.cairn.
   */
  Path home() {
    return chooseHome().dir();
  }

  /** Why {@link #home()} is that directory, for {@code status}: "--home", "$CAIRN_HOME", .... */
  String homeSource() {
    return chooseHome().source();
  }

  private record HomeChoice(Path dir, String source) {}

  private HomeChoice chooseHome() {
    if (home != null) {
      return new HomeChoice(home.toAbsolutePath().normalize(), "--home");
    }
    String env = System.getenv("CAIRN_HOME");
    if (env != null && !env.isBlank()) {
      return new HomeChoice(Path.of(env).toAbsolutePath().normalize(), "$CAIRN_HOME");
    }
    Path file = givenPipelineFile();
    String source = "beside -f " + file;
    if (file == null) {
      file = PipelineFileOption.findUpward(Path.of("").toAbsolutePath());
      source = "beside " + file;
    }
    if (file != null) {
      return new HomeChoice(file.toAbsolutePath().normalize().resolveSibling(DEFAULT_HOME), source);
    }
    return new HomeChoice(
        Path.of(DEFAULT_HOME).toAbsolutePath().normalize(),
        "the working directory (no " + PipelineFileOption.DEFAULT_NAME + " here or above)");
  }

  /** The -f FILE of the command being run, or null. */
  private Path givenPipelineFile() {
    if (spec == null) {
      return null;
    }
    CommandLine.ParseResult pr = spec.commandLine().getParseResult();
    while (pr != null && pr.subcommand() != null) {
      pr = pr.subcommand();
    }
    return pr != null && pr.hasMatchedOption("--file")
        ? pr.matchedOptionValue("--file", null)
        : null;
  }

  /** " --home DIR" when the home was given on the command line, for hints to repeat it. */
  String homeFlag() {
    return home == null ? "" : " --home " + Shell.quote(home().toString());
  }

  /**
   * " --home DIR" when a hint that passes {@code -f file} would not find this home on its own (the
   * home is neither given nor beside the file).
   */
  String homeFlag(Path file) {
    boolean envHome = home == null && homeSource().equals("$CAIRN_HOME");
    boolean besideFile =
        home().equals(file.toAbsolutePath().normalize().resolveSibling(DEFAULT_HOME));
    return home == null && (envHome || besideFile)
        ? ""
        : " --home " + Shell.quote(home().toString());
  }

  boolean verbose() {
    return verbose;
  }

  /** Whether stdout and stderr are the real terminal (progress bars may move the cursor). */
  boolean interactive() {
    return interactive;
  }

  PrintStream rawErr() {
    return rawErr;
  }

  /** Stdout as bytes, for data that is not text ({@code cat}); flush the writer first. */
  PrintStream rawOut() {
    return rawOut;
  }

  InputStream rawIn() {
    return rawIn;
  }

  /**
   * Opens an existing home for reading and resetting.
   *
   * @throws NoHomeException if it has no {@code cairn.db}: nothing is created
   * @throws io.cairn.CairnException if the home was used but its database is missing or empty
   */
  Cairn openExisting() {
    if (storeUrl() != null) {
      return openOrCreate();
    }
    Path h = home();
    if (!Files.isRegularFile(h.resolve("cairn.db"))) {
      openClient().close(); // says why: no home, or a used home that lost its database
    }
    return open(h, java.util.Map.of(), null);
  }

  /**
   * Opens an existing home for the read commands: no thread, no migration, nothing created or
   * changed on disk.
   *
   * @throws NoHomeException if there is no Cairn home there
   * @throws io.cairn.CairnException if the home lost its database, or its schema is newer or older
   *     than this Cairn's
   */
  CairnClient openClient() {
    StateStore state = openState();
    BlobStore blobStore;
    try {
      blobStore = openBlobs();
    } catch (RuntimeException | Error e) {
      if (state != null) {
        state.close();
      }
      throw e;
    }
    try {
      return CairnClient.open(home(), state, blobStore);
    } catch (HomeNotFoundException e) {
      throw new NoHomeException(home());
    }
  }

  /** Opens the home, creating it if needed (for commands that compute). */
  Cairn openOrCreate() {
    return open(home(), java.util.Map.of(), null);
  }

  /**
   * Opens the home, creating it if needed, with executors a pipeline file declares registered (they
   * stay the caller's to close, after the Cairn) and a lease other than the default when {@code
   * lease} is not null (a worker's --lease).
   */
  Cairn openOrCreate(
      java.util.Map<String, io.cairn.spi.ResourceExecutor> executors, Duration lease) {
    return open(home(), executors, lease);
  }

  /** Where blobs live when not under the home: --blobs, else $CAIRN_BLOBS, else null. */
  String blobsLocation() {
    if (blobs != null) {
      return blobs;
    }
    String fromEnv = env.get("CAIRN_BLOBS");
    return fromEnv == null || fromEnv.isBlank() ? null : fromEnv;
  }

  /** The blob store {@link #blobsLocation()} names, or null for the home's own. */
  private BlobStore openBlobs() {
    String location = blobsLocation();
    return location == null ? null : BlobStores.open(location, env);
  }

  /** The state store {@link #storeUrl()} names, or null for the home's SQLite database. */
  private StateStore openState() {
    String url = storeUrl();
    return url == null ? null : PostgresStore.open(url);
  }

  private Cairn open(
      Path h, java.util.Map<String, io.cairn.spi.ResourceExecutor> executors, Duration lease) {
    StateStore state = openState();
    BlobStore blobStore = null;
    try {
      blobStore = openBlobs();
      if (state == null && blobStore == null && executors.isEmpty() && lease == null) {
        return Cairn.open(h);
      }
      Cairn.Builder b = Cairn.builder().home(h);
      executors.forEach(b::executor);
      if (lease != null) {
        b.leaseDuration(lease);
      }
      if (state != null) {
        b.stateStore(state);
      }
      if (blobStore != null) {
        b.blobStore(blobStore);
      }
      return b.open();
    } catch (RuntimeException | Error e) {
      // stores passed in stay ours to close when opening fails
      for (AutoCloseable c : new AutoCloseable[] {state, blobStore}) {
        if (c != null) {
          try {
            c.close();
          } catch (Exception x) {
            e.addSuppressed(x);
          }
        }
      }
      throw e;
    }
  }

  /**
   * The state store URL: --store, else $CAIRN_STORE; null for the home's own SQLite database.
   *
   * @throws IllegalArgumentException if it is not a postgresql:// URL (the message hides any
   *     password)
   */
  String storeUrl() {
    String url = store != null ? store : env.get("CAIRN_STORE");
    if (url == null || url.isBlank()) {
      return null;
    }
    if (!PostgresStore.isUrl(url)) {
      throw new IllegalArgumentException(
          (store != null ? "--store" : "$CAIRN_STORE")
              + " takes a url such as postgresql://user@host:5432/db; got '"
              + PostgresStore.redact(url)
              + "'");
    }
    return url;
  }

  /** The state store as it may be shown (no password), or null for the home's SQLite. */
  String storeShown() {
    String url = storeUrl();
    return url == null ? null : PostgresStore.redact(url);
  }

  /** The version of the jar, from the Maven metadata the build puts in it. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      // String.join, not '+': string concatenation bootstraps invokedynamic (about 15 hidden
      // classes, tens of milliseconds), which would be most of what --version costs.
      return new String[] {
        String.join("", "cairn ", versionOf("cairn-cli")),
        String.join(
            "",
            "java ",
            System.getProperty("java.version"),
            " (",
            System.getProperty("java.vendor"),
            ")")
      };
    }

    static String versionOf(String artifact) {
      String res = String.join("", "/META-INF/maven/io.cairn/", artifact, "/pom.properties");
      try (InputStream in = Main.class.getResourceAsStream(res)) {
        if (in != null) {
          Properties p = new Properties();
          p.load(in);
          return p.getProperty("version", "unknown");
        }
      } catch (IOException e) {
        // fall through: a version is nice to have, not worth failing for
      }
      String impl = Main.class.getPackage().getImplementationVersion();
      return impl != null ? impl : "dev (not built from a jar)";
    }
  }
}
