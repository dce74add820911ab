/*
 * Keys → named actions, in one table.  The status line and the help
 * viewer's key list are generated from it, so what the screen says and
 * what the keys do cannot drift apart (htop's FunctionBar, neomutt's
 * opcodes).
 */
#ifndef SW_UI_KEYS_H
#define SW_UI_KEYS_H

/* X(action, label on the status line); the order is the status line's. */
#define KEY_ACTIONS(X)					\
	X(ACT_NONE,		"")			\
	X(ACT_ENTER,		"edit")		\
	X(ACT_TOGGLE,		"change")		\
	X(ACT_NEXT,		"next")			\
	X(ACT_BACK,		"back")			\
	X(ACT_PROBE,		"probe")		\
	X(ACT_CANCEL,		"cancel")		\
	X(ACT_ESC,		"back out")		\
	X(ACT_STEP,		"go to step")		\
	X(ACT_START,		"Start screen")		\
	X(ACT_RESULT,		"result")		\
	X(ACT_SEARCH,		"search (n/N: next)")	\
	X(ACT_APPLY,		"apply")		\
	X(ACT_UNDO,		"undo")			\
	X(ACT_DATA,		"data")	\
	X(ACT_SAVE,		"save")			\
	X(ACT_COPY,		"copy")			\
	X(ACT_FORMAT,		"format")		\
	X(ACT_PASSWORD,		"password")		\
	X(ACT_JAVA,		"your Java")		\
	X(ACT_EXPLAIN,		"paste error")		\
	X(ACT_HELP,		"help")			\
	X(ACT_TRANSCRIPT,	"transcript")		\
	X(ACT_QUIT,		"quit")			\
	X(ACT_UP,		"up")			\
	X(ACT_DOWN,		"down")			\
	X(ACT_PGUP,		"page up")		\
	X(ACT_PGDN,		"page down")		\
	X(ACT_HOME,		"top")			\
	X(ACT_END,		"bottom")

enum action {
#define KEY_ACT_ENUM(name, label) name,
	KEY_ACTIONS(KEY_ACT_ENUM)
#undef KEY_ACT_ENUM
	ACT_COUNT
};

#define ACT_BIT(a)	(1u << (a))

/*
 * The markers of a bracketed paste (xterm's mode 2004): keys_init()
 * teaches curses their sequences, so a paste arrives as KEY_PASTE_BEGIN,
 * the pasted bytes, KEY_PASTE_END.  Above KEY_MAX (0777): no clash.
 */
#define KEY_PASTE_BEGIN	0x2001
#define KEY_PASTE_END	0x2002

/* After the terminal is set up: the paste markers. */
void		 keys_init(void);

/* 1 when the terminal is known to do bracketed paste (mode 2004). */
int		 keys_paste_supported(void);

/* The action bound to key ch (a getch() value), ACT_NONE if none. */
enum action	 keys_action(int ch);

/* The status-line label of an action ("next"). */
const char	*keys_label(enum action);

/* The first key bound to a, as shown to people ("n", "Enter", "Tab"). */
const char	*keys_name(enum action);

/* Every key bound to a, for help ("n Tab Right"), into buf. */
const char	*keys_all_names(enum action, char *buf, unsigned cap);

#endif
