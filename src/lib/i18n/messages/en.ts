/** English catalog: the reference. Every key here must exist in every other catalog. */
export const en = {
	'app.name': 'FieldMatrix',
	'app.tagline': 'C34 recommendations, offline',
	'app.skipToContent': 'Skip to content',
	'app.loading': 'Loading the recommendations…',
	'app.loadFailed': 'The recommendations could not be loaded: {reason}',
	'app.loadFailedOffline':
		'This device has no copy of the recommendations yet. Connect once to download them.',
	'app.retry': 'Try again',

	'nav.main': 'Main',
	'nav.matrix': 'Matrix',
	'nav.settings': 'Settings',
	'nav.hq': 'HQ',
	'nav.admin': 'Admin',

	'network.online': 'Online',
	'network.offline': 'Offline',
	'network.offlineHint': 'Reading from this device',

	'language.label': 'Language',

	'update.available': 'A new version is available.',
	'update.reload': 'Reload',

	'matrix.title': 'Recommendations of the Special Committee',
	'matrix.reportOf': '{title} ({symbol}), {date}',
	// A long date, as Intl's dateStyle "long" writes it (formatDate; a unit test holds them equal).
	'date.long': '{month} {day}, {year}',
	'date.months':
		'January,February,March,April,May,June,July,August,September,October,November,December',
	'matrix.results_one': '{count} recommendation',
	'matrix.results_other': '{count} recommendations',
	'matrix.searching': 'Searching…',
	'matrix.noResults': 'No recommendation matches. Change the search or clear the filters.',
	'matrix.sectionCount_one': '{count} recommendation',
	'matrix.sectionCount_other': '{count} recommendations',

	'search.label': 'Search',
	'search.placeholder': 'Words, paragraph number, mission…',
	'search.submit': 'Search',

	'filters.title': 'Filters',
	'filters.section': 'Section',
	'filters.category': 'Status',
	'filters.mission': 'Mission mentioned',
	'filters.footnote': 'Note',
	'filters.any': 'Any',
	'filters.clear': 'Clear search and filters',
	'filters.footnote.a': 'More in the online repository (a)',
	'filters.footnote.b': 'Kosovo reference (b)',

	'category.ongoing-see-2023': 'Ongoing, see 2023',
	'category.progress-reported': 'Progress reported',
	'category.briefing-pending': 'Briefing to come',
	'category.update-pending': 'Update to come',
	'category.taken-note': 'Taken note',
	'category.member-states': 'For Member States',
	'category.no-update-requested': 'No update requested',

	'recommendation.paragraph': 'Paragraph {paragraph}',
	'recommendation.title': 'Paragraph {paragraph} of {symbol}',
	'recommendation.section': 'Section {numeral}: {title}',
	'recommendation.status': 'Status reported by the Secretariat',
	'recommendation.notes': 'Notes',
	'recommendation.refs2023': 'Earlier status',
	'recommendation.ref2023': 'Recommendation {paragraph} of 2023, in the online repository',
	'recommendation.documents': 'Documents cited',
	'recommendation.links': 'Web links',
	'recommendation.missions': 'Missions mentioned',
	'recommendation.previous': 'Previous: paragraph {paragraph}',
	'recommendation.next': 'Next: paragraph {paragraph}',
	'recommendation.back': 'Back to the matrix',
	'recommendation.notFound': 'There is no paragraph {paragraph} in this report.',
	'recommendation.pager': 'Other recommendations',

	'document.ga-resolution': 'General Assembly resolution',
	'document.sc-resolution': 'Security Council resolution',
	'document.sg-bulletin': "Secretary-General's bulletin",
	'document.administrative-instruction': 'Administrative instruction',
	'document.sc-document': 'Security Council document',
	'document.ga-document': 'General Assembly document',

	'settings.title': 'Settings',
	'settings.storage': 'Storage on this device',
	'settings.persisted': 'Protected: the browser will not clear this data to free space.',
	'settings.notPersisted':
		'Not protected: the browser may clear this data when space runs low. Install the app to protect it.',
	'settings.persistUnknown': 'This browser does not say whether the data is protected.',
	'settings.usage': '{used} used of {quota} available.',
	'settings.dataset_one': '{count} recommendation stored (dataset {version}, saved {date}).',
	'settings.dataset_other': '{count} recommendations stored (dataset {version}, saved {date}).',
	'settings.noDataset': 'No recommendations stored yet.',
	'settings.requestPersist': 'Protect the data on this device',

	'progress.not-assessed': 'Not yet assessed',
	'progress.not-started': 'Not started',
	'progress.planned': 'Planned',
	'progress.in-progress': 'In progress',
	'progress.implemented': 'Implemented',
	'progress.not-applicable': 'Not applicable',
	'progress.needs-hq-support': 'Needs HQ support',
	'progress.unsent': 'not yet sent',

	'pending.count_one': '{count} change not yet sent to Headquarters',
	'pending.count_other': '{count} changes not yet sent to Headquarters',
	'pending.none': 'Everything is sent to Headquarters',

	'summary.title': 'Progress of {mission}',
	'summary.bySection': 'By section',
	'summary.section': 'Section',
	'summary.total': 'Total',

	'filters.progress': 'Our progress',
	'filters.progress.not-assessed': 'Not yet assessed',
	'filters.progress.changed': 'Changed since last sync',

	'profile.title': 'Your mission',
	'profile.intro':
		'Got a code from Headquarters? Enter it in Settings. Or choose your mission and name to start now, offline too.',
	'profile.mission': 'Mission',
	'profile.choose': 'Choose…',
	'profile.displayName': 'Your name',
	'profile.save': 'Save',
	'profile.saved': 'Saved on this device.',
	'profile.current': 'Recording for {mission} as {name}.',
	'profile.pendingBlocks_one':
		'{count} change by the current person is not yet sent. Export a backup first, then change.',
	'profile.pendingBlocks_other':
		'{count} changes by the current person are not yet sent. Export a backup first, then change.',
	'profile.changeAnyway': 'Change anyway (the unsent changes keep their author)',
	'profile.required': 'Choose a mission and enter your name.',

	'panel.title': "Our mission's progress",
	'panel.needsProfile': 'Choose your mission in Settings to record progress.',
	'panel.current': 'Current status',
	'panel.none': 'Nothing recorded yet for this recommendation.',
	'panel.add': 'Add progress',
	'panel.entries': 'Entries',
	'panel.timeline': 'Timeline of changes',
	'panel.edit': 'Edit',
	'panel.delete': 'Delete',
	'panel.undo': 'Undo delete',
	'panel.deleted': 'Deleted',
	'panel.by': '{date} · {author}',
	'panel.draftRestored': 'Your unsaved draft was restored.',

	'op.create': 'added',
	'op.update': 'edited',
	'op.delete': 'deleted',
	'op.restore': 'restored',

	'editor.title.new': 'New progress entry',
	'editor.title.edit': 'Edit progress entry',
	'editor.status': 'Status',
	'editor.date': 'Date of the progress',
	'editor.note': 'Note',
	'editor.noteHelp': 'Plain text, up to {max} characters.',
	'editor.evidence': 'Evidence',
	'editor.evidenceLabel': 'Description',
	'editor.evidenceUrl': 'Web link (http or https)',
	'editor.evidenceSymbol': 'Or document symbol (e.g. S/2024/292)',
	'editor.addEvidence': 'Add evidence',
	'editor.removeEvidence': 'Remove evidence {n}',
	'editor.save': 'Save',
	'editor.cancel': 'Cancel',
	'editor.saving': 'Saving…',
	'editor.saved': 'Saved on this device.',
	'editor.draftSaved': 'Draft kept on this device.',
	'editor.leaveConfirm':
		'You have an unsaved entry. Leave anyway? Your draft stays on this device.',
	'editor.fixErrors': 'Please correct the highlighted fields. Nothing was saved.',

	'error.required': 'This field is required.',
	'error.too-long': 'This is too long.',
	'error.too-many': 'Too many items.',
	'error.invalid-url': 'Enter a web address starting with http:// or https://.',
	'error.invalid-symbol': 'Enter a UN document symbol such as S/2024/292.',
	'error.invalid-date': 'Enter a valid date.',
	'error.future-date': 'The date cannot be later than today.',
	'error.invalid': 'This value is not valid.',
	'error.quota':
		'The save failed: this device is out of storage space. Your draft is kept. Free some space and try again.',
	'error.closed':
		'The save failed because the browser closed the database. Your draft is kept. Try again, or reload the app.',
	'error.unknown': 'The save failed: {reason}. Your draft is kept.',
	'error.alreadySynced':
		'This deletion was already sent to Headquarters and can no longer be undone.',

	'backup.title': 'Backup',
	'backup.intro':
		'Save all progress recorded on this device, including changes not yet sent, to a file; or restore such a file here.',
	'backup.export': 'Export backup',
	'backup.import': 'Import a backup file',
	'backup.imported': 'Imported: {added} new entries, {updated} updated, {unchanged} already here.',
	'backup.invalid': 'This file was refused and nothing was changed: {reason}',

	'orphans.title': 'Recommendations no longer in the current report',
	'orphans.intro':
		'Your mission recorded progress on these recommendations, which the current edition of the report no longer has. The entries are kept.',

	'sync.not-enrolled': 'Not connected to Headquarters',
	'sync.syncing': 'Syncing…',
	'sync.offline': 'Offline: changes wait on this device',
	'sync.up-to-date': 'Up to date',
	'sync.failed': 'Sync failed: {reason}. It will try again; or press Sync now.',
	'sync.revoked':
		'This device was disconnected by Headquarters. Your data stays here: export your unsent changes in Settings, then ask for a new code.',
	'sync.last': 'Last sync {date}',
	'sync.now': 'Sync now',
	'sync.conflicts_one': '{count} conflict to decide',
	'sync.conflicts_other': '{count} conflicts to decide',

	'enrol.title': 'Connect to Headquarters',
	'enrol.intro':
		'Headquarters gives each focal point a one-time code. With it this device sends your mission’s progress and receives your colleagues’.',
	'enrol.code': 'Enrolment code',
	'enrol.name': 'Your name',
	'enrol.submit': 'Connect',
	'enrol.done': 'Connected as {role} for {mission}.',
	'enrol.parked_one':
		'{count} unsent change by the previous person was set aside, not sent. Export it below.',
	'enrol.parked_other':
		'{count} unsent changes by the previous person were set aside, not sent. Export them below.',
	'enrol.failed': 'The code was refused: {reason}',
	'enrol.exportParked': 'Export the set-aside changes',
	'enrol.connected': 'This device is connected for {mission} ({role}).',

	'conflict.title': 'Two versions to reconcile',
	'conflict.intro':
		'This entry was changed on two devices. Both versions are kept until someone decides.',
	'conflict.mine': 'Version from this device',
	'conflict.theirs': 'Version from another device',
	'conflict.keepMine': 'Keep this device’s version',
	'conflict.keepTheirs': 'Keep the other version',
	'conflict.resolving': 'Decision saved; it will be sent at the next sync.'
} as const;

export type MessageKey = keyof typeof en;
